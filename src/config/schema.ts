import { z } from 'zod';

/**
 * Every setting of docs/design.md in one schema. The TypeScript type is derived from it (docs/design.md rule 14).
 * Defaults that depend on other settings (PUBLIC_URL, QBO_ENV, Intuit URLs) are filled in `resolve.ts`.
 */
export const settingsSchema = z.object({
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/qbo-export.db')
    .refine((v) => v.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(v), {
      message: 'expected sqlite:PATH or postgres://…',
    }),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ message: 'expected an absolute URL such as https://export.example.com' }).optional(),
  QBO_ENV: z.enum(['sandbox', 'production', 'emulator']).optional(),
  QBO_CLIENT_ID: z.string().min(1).optional(),
  QBO_CLIENT_SECRET: z.string().min(1).optional(),
  QBO_DISCOVERY_URL: z.url({ message: 'expected the URL of an OpenID discovery document' }).optional(),
  QBO_API_BASE: z.url({ message: 'expected a URL such as http://127.0.0.1:4100' }).optional(),
  APP_SECRET: z.string().min(32, { message: 'expected at least 32 characters' }).optional(),
  /** The secret being replaced: tokens it encrypted still decrypt and are re-encrypted with APP_SECRET on use. */
  APP_SECRET_PREVIOUS: z.string().min(32, { message: 'expected at least 32 characters' }).optional(),
  /**
   * Which reverse proxies may name the client address in `X-Forwarded-For` (the sign-in throttle counts per
   * address): unset or `false` = none (the socket's peer is the client), `true` = any, a number = that many proxy
   * hops, or a comma-separated list of proxy addresses / CIDR ranges (e.g. `127.0.0.1,10.0.0.0/8`).
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .refine((v) => /^(true|false|\d+|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/.test(v), {
      message: 'expected true, false, a number of proxy hops, or comma-separated proxy addresses/CIDR ranges',
    }),
  /** The verifier token of the Intuit app's webhooks: POST /qbo/webhooks refuses deliveries without its signature. */
  QBO_WEBHOOK_VERIFIER: z.string().min(1).optional(),
  /** Minutes between change-data-capture sweeps of each connected company (the backstop for lost webhooks). */
  QBO_SWEEP_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /**
   * How long after its last send a write whose outcome is unknown stays in doubt (QuickBooks' own request time-out
   * is 120 s): only a look-up made at least this long after finds nothing proves it was never applied (issue 13).
   */
  QBO_IN_DOUBT_SECONDS: z.coerce.number().min(0).max(86_400).default(120),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawSettings = z.infer<typeof settingsSchema>;
