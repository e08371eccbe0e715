import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect } from '../support/databases.ts';
import { createLogger } from '../../src/config/logger.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { buildApp } from '../../src/web/app.ts';
import { seedWebFixture, signIn, testConfig, type WebFixture } from './support.ts';

/** The QuickBooks Authentication page with Intuit's flow against the emulator (auto-consent) over real HTTP. */
describeEachDialect('QuickBooks Authentication page', ({ db }) => {
  let app: FastifyInstance;
  let emulator: RunningEmulator;
  let f: WebFixture;
  before(async () => {
    f = await seedWebFixture(db());
    emulator = await startEmulator({ autoConsent: true, limits: false });
    app = await buildApp({ db: db(), config: testConfig({ PUBLIC_URL: 'http://127.0.0.1:3999' }, emulator.url), logger: createLogger('silent') });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await emulator.close();
  });

  /** Refresh Token → Intuit's authorize URL → (auto-consent) the callback URL Intuit would redirect to. */
  async function consent(cookie: string, csrf: string): Promise<string> {
    const start = await app.inject({ method: 'POST', url: '/quickbooks-authentication/refresh', headers: { cookie }, payload: { _csrf: csrf } });
    assert.equal(start.statusCode, 303);
    const authorize = new URL(start.headers.location as string);
    assert.equal(authorize.origin, emulator.url);
    assert.equal(authorize.searchParams.get('redirect_uri'), 'http://127.0.0.1:3999/qbo/callback');
    const answer = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(answer.headers.get('location') ?? '');
    assert.equal(callback.pathname, '/qbo/callback');
    return `${callback.pathname}${callback.search}`;
  }

  void it('connects: Refresh Token, consent, and back on the page with the outcome and the realm', async () => {
    const me = await signIn(app, f.alice);
    const before = await app.inject({ method: 'GET', url: '/quickbooks-authentication', headers: { cookie: me.cookie } });
    assert.match(before.body, /QuickBooks: Not connected/);
    const back = await app.inject({ method: 'GET', url: await consent(me.cookie, me.csrf), headers: { cookie: me.cookie } });
    assert.equal(back.statusCode, 303);
    assert.equal(back.headers.location, '/quickbooks-authentication');
    const page = await app.inject({ method: 'GET', url: '/quickbooks-authentication', headers: { cookie: me.cookie } });
    assert.match(page.body, /QuickBooks connected: company \d+/);
    assert.match(page.body, /QuickBooks: Connected/);
    assert.match(page.body, new RegExp(`<dd>${emulator.defaultRealmId}</dd>`));
    assert.doesNotMatch(page.body, /access_token|refresh_token|emulator-secret/);
    const again = await app.inject({ method: 'GET', url: '/quickbooks-authentication', headers: { cookie: me.cookie } });
    assert.doesNotMatch(again.body, /QuickBooks connected: company/, 'the outcome is shown once');
  });

  void it("refuses a callback replayed, or started by another user, and without the CSRF token", async () => {
    const alice = await signIn(app, f.alice);
    const url = await consent(alice.cookie, alice.csrf);
    const bob = await signIn(app, f.bob);
    const stolen = await app.inject({ method: 'GET', url, headers: { cookie: bob.cookie } });
    assert.equal(stolen.statusCode, 303);
    const bobPage = await app.inject({ method: 'GET', url: '/quickbooks-authentication', headers: { cookie: bob.cookie } });
    assert.match(bobPage.body, /This link is no longer valid/);
    assert.match(bobPage.body, /QuickBooks: Not connected/);
    const replay = await app.inject({ method: 'GET', url });
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /This link is no longer valid/);
    assert.match(replay.body, /<link rel="stylesheet" href="\/assets\/style.css">/);
    const noToken = await app.inject({ method: 'POST', url: '/quickbooks-authentication/refresh', headers: { cookie: alice.cookie } });
    assert.equal(noToken.statusCode, 403);
  });
});
