import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect } from '../support/databases.ts';
import { createLogger } from '../../src/config/logger.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { beginConnect } from '../../src/qbo/index.ts';
import { connectionStore } from '../../src/export/connections.ts';
import { upsertCompany } from '../../src/store/erp/companies.ts';
import { createUser } from '../../src/store/users/repository.ts';
import { buildApp } from '../../src/web/app.ts';
import { seedWebFixture, signIn, testConfig, type WebFixture } from './support.ts';

/** The QuickBooks Authentication page with Intuit's flow against the emulator (auto-consent) over real HTTP. */
describeEachDialect('QuickBooks Authentication page', ({ db }) => {
  let app: FastifyInstance;
  let emulator: RunningEmulator;
  let f: WebFixture;
  let config: ReturnType<typeof testConfig>;
  before(async () => {
    f = await seedWebFixture(db());
    emulator = await startEmulator({ autoConsent: true, limits: false });
    config = testConfig({ PUBLIC_URL: 'http://127.0.0.1:3999' }, emulator.url);
    app = await buildApp({ db: db(), config, logger: createLogger('silent') });
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
    return authorizeToCallback(start.headers.location as string);
  }

  async function authorizeToCallback(location: string): Promise<string> {
    const authorize = new URL(location);
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
    assert.match(page.body, /QuickBooks connected: .*\(company \d+\)\. The next export matches by name or adds \d+ customers? and \d+ products? in /);
    assert.match(page.body, /QuickBooks: Connected/);
    assert.match(page.body, new RegExp(`<dd data-books>[^<]+ \\(company ${emulator.defaultRealmId}\\)</dd>`));
    assert.doesNotMatch(page.body, /access_token|refresh_token|emulator-secret/);
    const again = await app.inject({ method: 'GET', url: '/quickbooks-authentication', headers: { cookie: me.cookie } });
    assert.doesNotMatch(again.body, /QuickBooks connected: /, 'the outcome is shown once');
  });

  void it("refuses a callback replayed, or started by another user, and without the CSRF token", async () => {
    const alice = await signIn(app, f.alice);
    const url = await consent(alice.cookie, alice.csrf);
    const bob = await signIn(app, f.bob);
    const stolen = await app.inject({ method: 'GET', url, headers: { cookie: bob.cookie } });
    assert.equal(stolen.statusCode, 303);
    const bobPage = await app.inject({ method: 'GET', url: '/quickbooks-authentication', headers: { cookie: bob.cookie } });
    assert.match(bobPage.body, /Sign in to finish connecting/);
    assert.match(bobPage.body, /QuickBooks: Not connected/);
    const replay = await app.inject({ method: 'GET', url });
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /This link is no longer valid/);
    assert.match(replay.body, /<link rel="stylesheet" href="\/assets\/style.css">/);
    const noToken = await app.inject({ method: 'POST', url: '/quickbooks-authentication/refresh', headers: { cookie: alice.cookie } });
    assert.equal(noToken.statusCode, 403);
  });

  void it('completes a state started in a session only in that session: no session, or another session of the same user, stores nothing', async () => {
    // A company of its own, not yet connected, and its one user.
    const company = await upsertCompany(db().kysely, { code: `OA${f.acme.code.slice(4)}`, name: 'OAuth Co', qbPrimaryCompany: true });
    const dana = { email: `dana-${company.code.toLowerCase()}@example.com`, password: 'dana password 1' };
    await createUser(db().kysely, dana.email, dana.password, [company.id]);
    const connected = async () => {
      const page = await app.inject({ method: 'GET', url: '/quickbooks-authentication', headers: { cookie: (await signIn(app, dana)).cookie } });
      return /QuickBooks: Connected/.test(page.body);
    };
    assert.equal(await connected(), false);
    const first = await signIn(app, dana);
    const second = await signIn(app, dana);

    // Someone else, not signed in (or on another host name), opens the link the first session started.
    const noSession = await app.inject({ method: 'GET', url: await consent(first.cookie, first.csrf) });
    assert.equal(noSession.statusCode, 403);
    assert.match(noSession.body, /Sign in to finish connecting/);
    assert.match(noSession.body, /press Refresh Token again/);
    assert.equal(await connected(), false, 'nothing stored');

    // The same user's other session cannot complete it either.
    const url = await consent(first.cookie, first.csrf);
    const other = await app.inject({ method: 'GET', url, headers: { cookie: second.cookie } });
    assert.equal(other.statusCode, 303);
    assert.equal(await connected(), false);

    // The session that pressed Refresh Token completes its own newest state.
    const own = await app.inject({ method: 'GET', url: await consent(first.cookie, first.csrf), headers: { cookie: first.cookie } });
    assert.equal(own.statusCode, 303);
    assert.equal(await connected(), true);
  });

  void it('completes a state started by the CLI (connect --print-url) without a session, as before', async () => {
    const { authorizeUrl } = await beginConnect({ connections: connectionStore(db()), config, companyId: f.globex.id });
    const res = await app.inject({ method: 'GET', url: await authorizeToCallback(authorizeUrl) });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /QuickBooks connected/);
  });

  void it('names a token the configured APP_SECRET cannot open, exactly, and nothing else', async () => {
    const me = await signIn(app, f.alice);
    await app.inject({ method: 'GET', url: await consent(me.cookie, me.csrf), headers: { cookie: me.cookie } });
    // Another instance of the app on the same database with another secret (what APP_SECRET must never be).
    const other = await buildApp({ db: db(), config: testConfig({ PUBLIC_URL: 'http://127.0.0.1:3999', APP_SECRET: 'a-different-secret-0123456789abcdef012345' }, emulator.url), logger: createLogger('silent') });
    try {
      const page = await other.inject({ method: 'GET', url: '/quickbooks-authentication', headers: { cookie: (await signIn(other, f.alice)).cookie } });
      assert.match(page.body, /QuickBooks: Reconnect needed/);
      assert.match(page.body, /<span class="notice">APP_SECRET changed or wrong: restore it, or reconnect<\/span>/);
      assert.doesNotMatch(page.body, /unexpected problem|UNAUTHORIZED/);
    } finally {
      await other.close();
    }
  });
});
