import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { createLogger } from '../../src/config/logger.ts';
import type { Db } from '../../src/store/db.ts';
import { upsertCompany } from '../../src/store/erp/companies.ts';
import type { Company } from '../../src/store/erp/tables.ts';
import { createUser } from '../../src/store/users/repository.ts';
import { buildApp } from '../../src/web/app.ts';
import type { WebDeps } from '../../src/web/deps.ts';

export const testAppSecret = 'test-app-secret-0123456789abcdef0123456789abcdef';

/** Without an emulator base, QuickBooks is a port where nothing listens (port 9, "discard"): never reached by accident. */
export function testConfig(env: Record<string, string> = {}, emulatorBase = 'http://127.0.0.1:9'): Config {
  return loadConfig({ APP_SECRET: testAppSecret, DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', ...env }, emulatorBase);
}

export interface TestUser {
  readonly id: number;
  readonly email: string;
  readonly password: string;
}

export interface WebFixture {
  readonly acme: Company;
  readonly globex: Company;
  /** Uses ACME only. */
  readonly alice: TestUser;
  /** Uses GLOBEX only. */
  readonly bob: TestUser;
}

async function addUser(db: Db, email: string, companies: readonly Company[]): Promise<TestUser> {
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const user = await createUser(db.kysely, email, password, companies.map((c) => c.id));
  return { id: user.id, email: user.email, password };
}

/** Two companies and one user for each: enough to prove one cannot reach the other's data. */
export async function seedWebFixture(db: Db): Promise<WebFixture> {
  const suffix = randomBytes(3).toString('hex');
  const acme = await upsertCompany(db.kysely, { code: `ACME${suffix}`, name: 'Acme Manufacturing', qbPrimaryCompany: true });
  const globex = await upsertCompany(db.kysely, { code: `GLOBEX${suffix}`, name: 'Globex Ltd', qbPrimaryCompany: false });
  const alice = await addUser(db, `alice-${suffix}@example.com`, [acme]);
  const bob = await addUser(db, `bob-${suffix}@example.com`, [globex]);
  return { acme, globex, alice, bob };
}

export async function buildTestApp(db: Db, extra: Partial<WebDeps> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ db, config: testConfig(), logger: createLogger('silent'), ...extra });
  await app.ready();
  return app;
}

/** The cookies a response sets, as one Cookie header value for the next request. */
export function cookiesOf(response: LightMyRequestResponse, previous = ''): string {
  const jar = new Map(previous.split('; ').filter(Boolean).map((c) => c.split('=') as [string, string]));
  for (const c of response.cookies) {
    if (c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) jar.delete(c.name);
    else jar.set(c.name, c.value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m?.[1], 'page has a CSRF field');
  return m[1];
}

export interface Browser {
  readonly cookie: string;
  readonly csrf: string;
}

/** Signs in through the real form (with its CSRF cookie) and returns the session cookie and token. */
export async function signIn(app: FastifyInstance, user: Pick<TestUser, 'email' | 'password'>): Promise<Browser> {
  const form = await app.inject({ method: 'GET', url: '/sign-in' });
  let cookie = cookiesOf(form);
  const res = await app.inject({
    method: 'POST', url: '/sign-in', headers: { cookie },
    payload: { _csrf: csrfOf(form.body), email: user.email, password: user.password },
  });
  assert.equal(res.statusCode, 303, res.body);
  cookie = cookiesOf(res, cookie);
  const home = await app.inject({ method: 'GET', url: '/sales-invoice-export', headers: { cookie } });
  return { cookie, csrf: csrfOf(home.body) };
}
