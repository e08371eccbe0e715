import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { createLogger, type Logger } from '../../src/config/logger.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.ts';
import { beginConnect, completeConnect } from '../../src/qbo/index.ts';
import type { Db } from '../../src/store/db.ts';
import { connectionStore } from '../../src/export/connections.ts';

/**
 * An emulator started by the harness plus the settings that point our code at it. `env` is what a child
 * process (`./bin/qbo-export …`) needs to reach the same database and the same emulator.
 */
export interface QboSession {
  readonly emulator: RunningEmulator;
  readonly config: Config;
  readonly env: Record<string, string>;
  readonly logger: Logger;
  close(): Promise<void>;
}

export async function startQboSession(databaseUrl: string, emulatorOptions: EmulatorOptions, logLevel = 'warn'): Promise<QboSession> {
  const emulator = await startEmulator({ port: 0, autoConsent: true, ...emulatorOptions });
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    QBO_ENV: 'emulator',
    QBO_API_BASE: emulator.url,
    QBO_DISCOVERY_URL: `${emulator.url}/.well-known/openid_sandbox_configuration`,
    // A fresh key per session: tokens in the scratch database are only ever read by this session's processes.
    APP_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: logLevel,
  };
  const config = loadConfig(env);
  return { emulator, config, env, logger: createLogger(logLevel, 'bench'), close: () => emulator.close() };
}

/**
 * Connects a company the way a user does, minus the clicking: our authorize URL, the emulator's consent
 * answered at once (autoConsent), then the callback's code exchange. Returns the connected realm.
 */
export async function connectCompany(db: Db, session: QboSession, companyId: number): Promise<string> {
  const { authorizeUrl } = await beginConnect({ connections: connectionStore(db), config: session.config, companyId });
  const answer = await fetch(authorizeUrl, { redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status < 300 || answer.status >= 400 || !location) {
    throw new Error(`the emulator's authorize endpoint answered ${answer.status} without a redirect (is autoConsent on?)`);
  }
  const query = Object.fromEntries(new URL(location).searchParams);
  const outcome = await completeConnect({ connections: connectionStore(db), config: session.config, logger: session.logger }, query);
  if (outcome.kind !== 'connected') throw new Error(`connecting company ${companyId} failed: ${JSON.stringify(outcome)}`);
  return outcome.realmId;
}

/** `/_emulator/…` control calls. */
export async function emulatorControl<T = unknown>(session: QboSession, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await fetch(`${session.emulator.url}/_emulator/${path}`, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`emulator ${method} /_emulator/${path} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

export interface EmulatorStateSummary {
  counters: { requests: number; throttled: number; faultsInjected: number; oauthRequests: number };
  faultRules: unknown[];
  tokens: { grants: Array<{ realmId: string; accessTokens: unknown[] }> };
}
