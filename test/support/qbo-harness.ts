import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config/index.ts';
import type { Logger } from '../../src/config/logger.ts';
import type { Db } from '../../src/store/db.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.ts';
import { qboCallbackPlugin } from '../../src/web/qbo-callback.ts';

/** Every log line the code under test wrote, as text (to look for secrets in). */
export function captureLogger(): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  // No redaction here on purpose: the code must not hand secrets to the logger in the first place.
  return { logger: pino({ level: 'debug' }, stream), text: () => chunks.join('') };
}

export interface QboHarness {
  readonly emulator: RunningEmulator;
  readonly web: FastifyInstance;
  readonly config: Config;
  readonly env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export const TEST_APP_SECRET = '0123456789abcdef'.repeat(4);

/**
 * The emulator on port 0 and a Fastify app with the /qbo/callback plugin on port 0, and the settings
 * that point at both (as `qbo-export serve` would have them).
 */
export async function startQboHarness(db: () => Db, databaseUrl: () => string, logger: Logger, emulatorOptions: EmulatorOptions = {}): Promise<QboHarness> {
  const emulator = await startEmulator({ port: 0, autoConsent: true, ...emulatorOptions });
  const ready: { config?: Config } = {};
  const web = Fastify({ logger: false });
  await web.register(qboCallbackPlugin, {
    deps: {
      get db() { return db(); },
      get config() {
        if (!ready.config) throw new Error('config not ready');
        return ready.config;
      },
      logger,
    },
  });
  const publicUrl = await web.listen({ port: 0, host: '127.0.0.1' });
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: databaseUrl(),
    PUBLIC_URL: publicUrl,
    QBO_ENV: 'emulator',
    QBO_DISCOVERY_URL: `${emulator.url}/.well-known/openid_sandbox_configuration`,
    QBO_API_BASE: emulator.url,
    APP_SECRET: TEST_APP_SECRET,
    LOG_LEVEL: 'debug',
  };
  const config = loadConfig(env);
  ready.config = config;
  return {
    emulator, web, config, env,
    async close() {
      await web.close();
      await emulator.close();
    },
  };
}

export async function emulatorState(emulatorUrl: string): Promise<EmulatorStateView> {
  const res = await fetch(`${emulatorUrl}/_emulator/state`);
  return (await res.json()) as EmulatorStateView;
}

export async function emulatorControl(emulatorUrl: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${emulatorUrl}/_emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`emulator control ${path} answered ${res.status}: ${await res.text()}`);
}

export interface EmulatorStateView {
  counters: { requests: number; throttled: number; faultsInjected: number; oauthRequests: number };
  tokens: { grants: { realmId: string; revoked: boolean; accessTokens: unknown[] }[] };
  defaultRealmId: string;
}

/** Access tokens issued for the realm's live grant: 1 after the code exchange, +1 per refresh. */
export function issuedAccessTokens(state: EmulatorStateView, realmId: string): number {
  return state.tokens.grants.filter((g) => g.realmId === realmId && !g.revoked).reduce((n, g) => n + g.accessTokens.length, 0);
}
