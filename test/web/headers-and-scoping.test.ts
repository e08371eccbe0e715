import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeEachDialect } from '../support/databases.ts';
import { startWithEmulator } from '../../src/cli/commands/start.ts';
import { createLogger } from '../../src/config/logger.ts';
import { findCustomerByNo } from '../../src/store/erp/customers.ts';
import { upsertCompany } from '../../src/store/erp/companies.ts';
import { createUser, setMasterData } from '../../src/store/users/repository.ts';
import { createApiToken } from '../../src/store/web/api-tokens.ts';
import { buildApp } from '../../src/web/app.ts';
import { buildTestApp, seedWebFixture, signIn, testAppSecret, testConfig, type WebFixture } from './support.ts';

function csp(res: LightMyRequestResponse): Map<string, string> {
  const header = String(res.headers['content-security-policy'] ?? '');
  return new Map(header.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(' ')[0] ?? '', d.split(' ').slice(1).join(' ')]));
}

describeEachDialect('security headers and master-data scoping', ({ db }) => {
  let app: FastifyInstance;
  let f: WebFixture;
  before(async () => {
    f = await seedWebFixture(db());
    app = await buildTestApp(db());
  });
  after(async () => app.close());

  void it('sends nosniff everywhere and a CSP limiting form-action on every HTML answer, 404s and error pages included', async () => {
    const me = await signIn(app, f.alice);
    const { token } = await createApiToken(db().kysely, f.alice.id, null);
    const answers: Array<[string, LightMyRequestResponse]> = [
      ['404 page', await app.inject({ method: 'GET', url: '/no-such-page' })],
      ['sign-in page', await app.inject({ method: 'GET', url: '/sign-in' })],
      ['signed-in page', await app.inject({ method: 'GET', url: '/sales-invoice-export', headers: { cookie: me.cookie } })],
      ['403 page', await app.inject({ method: 'POST', url: '/company', headers: { cookie: me.cookie }, payload: { _csrf: 'wrong', companyId: '1' } })],
      ['422 page', await app.inject({ method: 'POST', url: '/company', headers: { cookie: me.cookie }, payload: { _csrf: me.csrf, companyId: 'x' } })],
      ['callback page', await app.inject({ method: 'GET', url: '/qbo/callback?state=nope&code=x&realmId=1' })],
      ['api 401', await app.inject({ method: 'GET', url: '/api/companies' })],
      ['api 404', await app.inject({ method: 'GET', url: '/api/no-such-thing', headers: { authorization: `Bearer ${token}` } })],
      ['api 200', await app.inject({ method: 'GET', url: '/api/companies', headers: { authorization: `Bearer ${token}` } })],
      ['api 400', await app.inject({ method: 'POST', url: '/api/customers', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{' })],
      ['asset', await app.inject({ method: 'GET', url: '/assets/style.css' })],
      ['healthz', await app.inject({ method: 'GET', url: '/healthz' })],
    ];
    for (const [name, res] of answers) {
      assert.equal(res.headers['x-content-type-options'], 'nosniff', name);
      assert.equal(res.headers['x-frame-options'], 'DENY', name);
      assert.equal(res.headers['strict-transport-security'], undefined, `${name}: no HSTS over http`);
      if (String(res.headers['content-type']).startsWith('text/html')) {
        const policy = csp(res);
        assert.equal(policy.get('default-src'), "'self'", name);
        assert.equal(policy.get('frame-ancestors'), "'none'", name);
        // The test config's QuickBooks is an emulator at 127.0.0.1:9: its authorize page is the only other form target.
        assert.equal(policy.get('form-action'), "'self' http://127.0.0.1:3000 http://127.0.0.1:9", name);
      }
    }
    assert.equal(answers[0]?.[1].statusCode, 404);
    assert.equal(answers[3]?.[1].statusCode, 403);
  });

  void it("limits form-action to Intuit's authorize origin for a real Intuit app, and sends HSTS when PUBLIC_URL is https", async () => {
    const intuit = await buildApp({
      db: db(), logger: createLogger('silent'),
      config: testConfig({ PUBLIC_URL: 'https://export.example.com', QBO_ENV: 'production', QBO_CLIENT_ID: 'id', QBO_CLIENT_SECRET: 'secret' }),
    });
    try {
      const res = await intuit.inject({ method: 'GET', url: '/sign-in' });
      assert.equal(csp(res).get('form-action'), "'self' https://export.example.com https://appcenter.intuit.com");
      assert.match(String(res.headers['strict-transport-security']), /^max-age=15552000/);
      const notFound = await intuit.inject({ method: 'GET', url: '/api/nothing' });
      assert.match(String(notFound.headers['strict-transport-security']), /^max-age=/);
    } finally {
      await intuit.close();
    }
  });

  void it('lets only a user or token with every company or the master-data permission change customers; reading stays open', async () => {
    // Bob uses GLOBEX only: a customer ACME bills must not be his to rename.
    await upsertCompany(db().kysely, { code: `ZETA${f.acme.code.slice(4)}`, name: 'Zeta', qbPrimaryCompany: false });
    const bob = { authorization: `Bearer ${(await createApiToken(db().kysely, f.bob.id, null)).token}`, 'content-type': 'application/json' };
    const seed = { authorization: `Bearer ${(await createApiToken(db().kysely, f.alice.id, null, new Date(), { masterData: true })).token}`, 'content-type': 'application/json' };
    assert.equal((await app.inject({ method: 'PUT', url: '/api/customers/C-SHARED', headers: seed, payload: '{"name":"Shared Customer"}' })).statusCode, 200);

    const refused = await app.inject({ method: 'PUT', url: '/api/customers/C-SHARED', headers: bob, payload: '{"name":"Renamed by Bob"}' });
    assert.equal(refused.statusCode, 403, refused.body);
    assert.match(refused.json<{ error: { message: string } }>().error.message, /Customers are shared by every company.*master-data permission.*may use only GLOBEX/);
    const batch = await app.inject({ method: 'POST', url: '/api/customers', headers: bob, payload: '[{"customerNo":"C-NEW","name":"New"}]' });
    assert.equal(batch.statusCode, 403);
    assert.equal((await findCustomerByNo(db().kysely, 'C-SHARED'))?.name, 'Shared Customer');
    assert.equal(await findCustomerByNo(db().kysely, 'C-NEW'), undefined);
    // Reading and the company's own records stay allowed.
    assert.equal((await app.inject({ method: 'GET', url: `/api/companies/${f.globex.code}/export-summary`, headers: bob })).statusCode, 200);
    const product = await app.inject({ method: 'PUT', url: `/api/companies/${f.globex.code}/products/G-1`, headers: bob, payload: '{"unitPrice":"1"}' });
    assert.equal(product.statusCode, 200, product.body);

    // The permission on the user (users add --master-data), on a token (tokens create --master-data), or every company.
    await setMasterData(db().kysely, f.bob.id, true);
    assert.equal((await app.inject({ method: 'PUT', url: '/api/customers/C-SHARED', headers: bob, payload: '{"name":"Renamed with permission"}' })).statusCode, 200);
    await setMasterData(db().kysely, f.bob.id, false);
    assert.equal((await app.inject({ method: 'PUT', url: '/api/customers/C-SHARED', headers: bob, payload: '{"name":"Again"}' })).statusCode, 403);
    const bobMaster = { ...bob, authorization: `Bearer ${(await createApiToken(db().kysely, f.bob.id, null, new Date(), { masterData: true })).token}` };
    assert.equal((await app.inject({ method: 'PUT', url: '/api/customers/C-SHARED', headers: bobMaster, payload: '{"name":"By token"}' })).statusCode, 200);
    const companies = await db().kysely.selectFrom('companies').select('id').execute();
    const all = await createUser(db().kysely, `all-${f.acme.code.toLowerCase()}@example.com`, 'all companies password', companies.map((c) => c.id));
    const allAuth = { ...bob, authorization: `Bearer ${(await createApiToken(db().kysely, all.id, null)).token}` };
    assert.equal((await app.inject({ method: 'PUT', url: '/api/customers/C-SHARED', headers: allAuth, payload: '{"name":"By an all-company user"}' })).statusCode, 200);
  });
});

void describe('the emulator mounted by start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qbo-embedded-'));
  let running: Awaited<ReturnType<typeof startWithEmulator>>;
  before(async () => {
    running = await startWithEmulator({ DATABASE_URL: `sqlite:${join(dir, 'app.db')}`, APP_SECRET: testAppSecret, LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1' }, 'embedded password 1');
  });
  after(async () => {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  void it('answers its control endpoints only from loopback, not through a proxy, not from elsewhere', async () => {
    const state = `${running.url}/qbo-emulator/_emulator/state`;
    assert.equal((await fetch(state)).status, 200);
    assert.equal((await fetch(state, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status, 404);
    assert.equal((await fetch(state, { headers: { forwarded: 'for=198.51.100.1;proto=https' } })).status, 404);
    for (const [method, url] of [['GET', '/qbo-emulator/_emulator/state'], ['POST', '/qbo-emulator/_emulator/reset'], ['POST', '/qbo-emulator/_emulator/faults'], ['POST', '/qbo-emulator/_emulator/clock']] as const) {
      const res = await running.app.inject({ method, url, remoteAddress: '203.0.113.9', ...(method === 'POST' ? { payload: {} } : {}) });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    }
    // Intuit's side of the emulator (discovery, consent) stays reachable: a browser elsewhere must be able to connect.
    const discovery = await running.app.inject({ method: 'GET', url: '/qbo-emulator/.well-known/openid_sandbox_configuration', remoteAddress: '203.0.113.9' });
    assert.equal(discovery.statusCode, 200);
    assert.equal((await running.app.inject({ method: 'GET', url: '/qbo-emulator/_emulator/state', remoteAddress: '::ffff:127.0.0.1' })).statusCode, 200);
  });
});
