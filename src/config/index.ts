import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { APP_SECRET_REQUIRED_WITH_POSTGRES, generatedAppSecret } from './app-secret.ts';
import { settingsSchema } from './schema.ts';
import { emulatorClient, intuitApiBase, intuitDiscoveryUrl } from './intuit.ts';
import { AppError } from './errors.ts';

export type QboEnv = 'sandbox' | 'production' | 'emulator';

export interface Config {
  readonly databaseUrl: string;
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly logLevel: string;
  readonly dataDir: string;
  readonly appSecret: string;
  /** The secret before a rotation (APP_SECRET_PREVIOUS): still decrypts, never encrypts; null when not set. */
  readonly appSecretPrevious: string | null;
  /** Fastify's `trustProxy` from TRUST_PROXY: false, true, a hop count, or proxy addresses/CIDR ranges. */
  readonly trustProxy: boolean | number | readonly string[];
  readonly qbo: {
    readonly env: QboEnv;
    readonly clientId: string;
    readonly clientSecret: string;
    /** Undefined for the emulator until its port is known (filled by `withEmulatorUrls`). */
    readonly discoveryUrl: string;
    readonly apiBase: string;
    readonly redirectUri: string;
    /** QBO_IN_DOUBT_SECONDS: a write with an unknown outcome is not sent again before a look-up this long after it. */
    readonly inDoubtSeconds: number;
  };
  /** QuickBooks back to the ERP (issue 14). */
  readonly sync: {
    /** Undefined: POST /qbo/webhooks refuses every delivery (401). */
    readonly webhookVerifier: string | undefined;
    readonly sweepMinutes: number;
  };
}

export class ConfigError extends AppError<'CONFIG_INVALID'> {
  readonly code = 'CONFIG_INVALID';
  readonly retryable = false;
  constructor(readonly problems: readonly string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Where the SQLite file lives; the data folder also holds the generated APP_SECRET. */
function dataDirOf(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    if (path !== ':memory:') return dirname(resolve(path));
  }
  return resolve('data');
}

/**
 * Parses the environment once. Every bad variable is reported together (ConfigError.problems).
 * `emulatorBase` is the URL of a running emulator when QBO_ENV is `emulator` and no URLs are set.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, emulatorBase?: string): Config {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])] ?? null)})`),
    );
  }
  const s = parsed.data;
  const problems: string[] = [];
  const qboEnv: QboEnv = s.QBO_ENV ?? (s.QBO_CLIENT_ID ? 'sandbox' : 'emulator');
  if (qboEnv !== 'emulator' && (!s.QBO_CLIENT_ID || !s.QBO_CLIENT_SECRET)) {
    problems.push(`QBO_CLIENT_ID and QBO_CLIENT_SECRET: required when QBO_ENV is ${qboEnv} (the keys of your Intuit app)`);
  }
  // A generated file is private to one machine: instances sharing a PostgreSQL database would each make their own.
  if (!s.DATABASE_URL.startsWith('sqlite:') && !s.APP_SECRET) problems.push(APP_SECRET_REQUIRED_WITH_POSTGRES);
  if (s.APP_SECRET_PREVIOUS && !s.APP_SECRET) problems.push('APP_SECRET_PREVIOUS: set only beside APP_SECRET (the new secret), while rotating');
  if (problems.length > 0) throw new ConfigError(problems);

  const publicUrl = (s.PUBLIC_URL ?? `http://${s.HOST}:${s.PORT}`).replace(/\/$/, '');
  const emulator = (emulatorBase ?? 'http://127.0.0.1:4100').replace(/\/$/, '');
  const dataDir = dataDirOf(s.DATABASE_URL);
  const config: Config = {
    databaseUrl: s.DATABASE_URL,
    port: s.PORT,
    host: s.HOST,
    publicUrl,
    logLevel: s.LOG_LEVEL,
    dataDir,
    appSecret: s.APP_SECRET ?? generatedAppSecret(dataDir),
    appSecretPrevious: s.APP_SECRET_PREVIOUS ?? null,
    trustProxy: trustProxyOf(s.TRUST_PROXY),
    qbo: {
      env: qboEnv,
      clientId: s.QBO_CLIENT_ID ?? emulatorClient.id,
      clientSecret: s.QBO_CLIENT_SECRET ?? emulatorClient.secret,
      discoveryUrl:
        s.QBO_DISCOVERY_URL ??
        (qboEnv === 'emulator' ? `${emulator}/.well-known/openid_sandbox_configuration` : intuitDiscoveryUrl[qboEnv]),
      apiBase: (s.QBO_API_BASE ?? (qboEnv === 'emulator' ? emulator : intuitApiBase[qboEnv])).replace(/\/$/, ''),
      redirectUri: `${publicUrl}/qbo/callback`,
      inDoubtSeconds: s.QBO_IN_DOUBT_SECONDS,
    },
    sync: { webhookVerifier: s.QBO_WEBHOOK_VERIFIER, sweepMinutes: s.QBO_SWEEP_MINUTES },
  };
  return deepFreeze(config);
}

function trustProxyOf(value: string): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim());
}

/** Reads `.env` in the working folder into process.env (variables already set win). */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(value);
}
