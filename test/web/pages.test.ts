import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect } from '../support/databases.ts';
import { createRun, emptyCounts, finishRun } from '../../src/store/runs/repository.ts';
import { getCompany } from '../../src/store/erp/companies.ts';
import { createUser } from '../../src/store/users/repository.ts';
import { buildTestApp, cookiesOf, csrfOf, seedWebFixture, signIn, type WebFixture } from './support.ts';

describeEachDialect('web pages and their security', ({ db }) => {
  let app: FastifyInstance;
  let f: WebFixture;
  before(async () => {
    f = await seedWebFixture(db());
    app = await buildTestApp(db());
  });
  after(async () => app.close());

  void it('sends a visitor who is not signed in to the sign-in page, and back after signing in', async () => {
    for (const url of ['/sales-invoice-export', '/process-log', '/setup', '/quickbooks-authentication']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, `/sign-in?next=${encodeURIComponent(url)}`);
    }
    const form = await app.inject({ method: 'GET', url: '/sign-in?next=%2Fprocess-log' });
    const res = await app.inject({
      method: 'POST', url: '/sign-in', headers: { cookie: cookiesOf(form) },
      payload: { _csrf: csrfOf(form.body), email: f.alice.email, password: f.alice.password, next: '/process-log' },
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/process-log');
    const cookie = res.cookies.find((c) => c.name === 'qbx_session');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
  });

  void it('refuses a wrong password, a sign-in without its CSRF token, and an open redirect', async () => {
    const form = await app.inject({ method: 'GET', url: '/sign-in' });
    const cookie = cookiesOf(form);
    const wrong = await app.inject({ method: 'POST', url: '/sign-in', headers: { cookie }, payload: { _csrf: csrfOf(form.body), email: f.alice.email, password: 'not it at all' } });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /Email or password is not right/);
    assert.doesNotMatch(wrong.body, /not it at all/);
    const noToken = await app.inject({ method: 'POST', url: '/sign-in', headers: { cookie }, payload: { email: f.alice.email, password: f.alice.password } });
    assert.equal(noToken.statusCode, 403);
    const noCookie = await app.inject({ method: 'POST', url: '/sign-in', payload: { _csrf: csrfOf(form.body), email: f.alice.email, password: f.alice.password } });
    assert.equal(noCookie.statusCode, 403);
    const away = await app.inject({ method: 'POST', url: '/sign-in', headers: { cookie }, payload: { _csrf: csrfOf(form.body), email: f.alice.email, password: f.alice.password, next: '//evil.example/' } });
    assert.equal(away.headers.location, '/sales-invoice-export');
  });

  void it('shows the export page with the seed fields, the Export and Dry run buttons and the slide menu', async () => {
    const me = await signIn(app, f.alice);
    const res = await app.inject({ method: 'GET', url: '/sales-invoice-export', headers: { cookie: me.cookie } });
    assert.equal(res.statusCode, 200);
    for (const label of ['Company', 'Product Export Qty', 'Customer Export Qty', 'Invoice Export Qty', 'Credit Memo Export Qty']) {
      assert.match(res.body, new RegExp(`<label for="[a-z-]+">${label}</label>`));
    }
    assert.match(res.body, /<button type="submit" class="button">Export<\/button>/);
    assert.match(res.body, />Dry run<\/button>/);
    for (const link of ['QuickBooks Authentication', 'Process Log', 'Setup']) assert.match(res.body, new RegExp(`>${link}</a>`));
    assert.match(res.body, /Acme Manufacturing/);
    assert.doesNotMatch(res.body, /Globex/);
    assert.match(res.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
  });

  void it('refuses a form post without the CSRF token (403)', async () => {
    const me = await signIn(app, f.alice);
    const res = await app.inject({ method: 'POST', url: '/setup', headers: { cookie: me.cookie }, payload: { companyId: String(f.acme.id), abortOnError: 'on' } });
    assert.equal(res.statusCode, 403);
    const wrong = await app.inject({ method: 'POST', url: '/company', headers: { cookie: me.cookie }, payload: { _csrf: 'forged', companyId: String(f.acme.id) } });
    assert.equal(wrong.statusCode, 403);
    const stored = await getCompany(db().kysely, f.acme.id);
    assert.equal(stored?.settings, '{}');
  });

  void it('saves the sales-tax mode and tax-code mapping from the Setup page; a malformed mapping line is named and nothing is saved', async () => {
    const me = await signIn(app, f.alice);
    const headers = { cookie: me.cookie };
    const base = { _csrf: me.csrf, companyId: String(f.acme.id), nameCollisionPolicy: 'report' };
    const bad = await app.inject({ method: 'POST', url: '/setup', headers, payload: { ...base, salesTax: 'erp', taxCodes: 'S = 20.0% S\nR 5.0% R' } });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /line 2 &quot;R 5.0% R&quot;: write one mapping per line as ERP code = QuickBooks tax code/);
    assert.equal((await getCompany(db().kysely, f.acme.id))?.settings, '{}');
    const good = await app.inject({ method: 'POST', url: '/setup', headers, payload: { ...base, salesTax: 'erp', taxCodes: 'S = 20.0% S\r\nR = 5.0% R\n' } });
    assert.equal(good.statusCode, 303);
    const saved = JSON.parse((await getCompany(db().kysely, f.acme.id))?.settings ?? '{}') as { salesTax?: string; taxCodes?: Record<string, string> };
    assert.equal(saved.salesTax, 'erp');
    assert.deepEqual(saved.taxCodes, { S: '20.0% S', R: '5.0% R' });
    const view = await app.inject({ method: 'GET', url: '/setup', headers });
    assert.match(view.body, /<input type="radio" name="salesTax" value="erp" checked>/);
    assert.match(view.body, /S = 20.0% S\nR = 5.0% R<\/textarea>/);
    await app.inject({ method: 'POST', url: '/setup', headers, payload: { ...base, salesTax: 'qbo', taxCodes: '' } });
  });

  void it("refuses another company's setup, switch and Process Log entry", async () => {
    const me = await signIn(app, f.alice);
    const headers = { cookie: me.cookie };
    const setup = await app.inject({ method: 'POST', url: '/setup', headers, payload: { _csrf: me.csrf, companyId: String(f.globex.id), abortOnError: 'on', nameCollisionPolicy: 'report' } });
    assert.equal(setup.statusCode, 403);
    const view = await app.inject({ method: 'GET', url: `/setup?company=${f.globex.id}`, headers });
    assert.equal(view.statusCode, 403);
    const sw = await app.inject({ method: 'POST', url: '/company', headers, payload: { _csrf: me.csrf, companyId: String(f.globex.id) } });
    assert.equal(sw.statusCode, 403);
    const runId = await createRun(db().kysely, { companyId: f.globex.id, startedBy: f.bob.email, dryRun: false });
    const entry = await app.inject({ method: 'GET', url: `/process-log/${runId}`, headers });
    assert.equal(entry.statusCode, 404);
    const bob = await signIn(app, f.bob);
    const own = await app.inject({ method: 'GET', url: `/process-log/${runId}`, headers: { cookie: bob.cookie } });
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Sales Invoice Exporter/);
  });

  void it('lists runs newest first with a status filter and shows messages errors first', async () => {
    const first = await createRun(db().kysely, { companyId: f.acme.id, startedBy: f.alice.email, dryRun: false });
    await finishRun(db().kysely, first, { status: 'succeeded', counts: emptyCounts() });
    const second = await createRun(db().kysely, { companyId: f.acme.id, startedBy: f.alice.email, dryRun: true });
    const me = await signIn(app, f.alice);
    const list = await app.inject({ method: 'GET', url: '/process-log', headers: { cookie: me.cookie } });
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.indexOf(`/process-log/${second}"`) < list.body.indexOf(`/process-log/${first}"`));
    const running = await app.inject({ method: 'GET', url: '/process-log?status=running', headers: { cookie: me.cookie } });
    assert.match(running.body, new RegExp(`/process-log/${second}"`));
  });

  void it('saves setup through the schema and shows errors next to the field', async () => {
    const me = await signIn(app, f.alice);
    const headers = { cookie: me.cookie };
    const bad = await app.inject({ method: 'POST', url: '/setup', headers, payload: { _csrf: me.csrf, companyId: String(f.acme.id), freightItem: 'x'.repeat(101), nameCollisionPolicy: 'rename' } });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /id="freightItem"[^>]*aria-invalid="true"/);
    assert.match(bad.body, /id="nameCollisionPolicy-error"/);
    const ok = await app.inject({
      method: 'POST', url: '/setup', headers,
      payload: { _csrf: me.csrf, companyId: String(f.acme.id), freightItem: 'Freight', passOrderDiscount: 'on', nameCollisionPolicy: 'suffix', incomeAccount: 'Sales' },
    });
    assert.equal(ok.statusCode, 303);
    const stored = await getCompany(db().kysely, f.acme.id);
    assert.deepEqual(JSON.parse(stored?.settings ?? ''), { freightItem: 'Freight', passOrderDiscount: true, abortOnError: false, nameCollisionPolicy: 'suffix', incomeAccount: 'Sales' });
    assert.equal(stored?.qb_primary_company, 0);
    const page = await app.inject({ method: 'GET', url: ok.headers.location as string, headers });
    assert.match(page.body, /Setup of ACME\w* saved/);
    assert.match(page.body, /name="freightItem" value="Freight"/);
  });

  void it('slows password guessing: after 5 wrong passwords the email is refused for a while (429)', async () => {
    const carol = { email: `carol-${f.acme.code.toLowerCase()}@example.com`, password: 'carol password 1' };
    await createUser(db().kysely, carol.email, carol.password, [f.acme.id]);
    const form = await app.inject({ method: 'GET', url: '/sign-in' });
    const cookie = cookiesOf(form);
    const attempt = (password: string) =>
      app.inject({ method: 'POST', url: '/sign-in', headers: { cookie }, payload: { _csrf: csrfOf(form.body), email: carol.email, password } });
    for (let i = 0; i < 5; i++) assert.equal((await attempt(`wrong ${i}`)).statusCode, 401);
    const blocked = await attempt(carol.password);
    assert.equal(blocked.statusCode, 429);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    assert.match(blocked.body, /Too many sign-in attempts for this email. Try again in \d+ minutes?, or ask an administrator to run: qbo-export users unlock/);
  });

  void it('says so on QuickBooks Authentication when the sign-in service cannot be reached', async () => {
    // The test config points QBO at a port where nothing listens.
    const me = await signIn(app, f.alice);
    const res = await app.inject({ method: 'POST', url: '/quickbooks-authentication/refresh', headers: { cookie: me.cookie }, payload: { _csrf: me.csrf } });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/quickbooks-authentication');
    const page = await app.inject({ method: 'GET', url: '/quickbooks-authentication', headers: { cookie: me.cookie } });
    assert.match(page.body, /Could not reach QuickBooks&#39; sign-in service/);
  });

  void it('signs out: the old session cookie no longer works', async () => {
    const me = await signIn(app, f.alice);
    const out = await app.inject({ method: 'POST', url: '/sign-out', headers: { cookie: me.cookie }, payload: { _csrf: me.csrf } });
    assert.equal(out.statusCode, 303);
    const after = await app.inject({ method: 'GET', url: '/sales-invoice-export', headers: { cookie: me.cookie } });
    assert.equal(after.statusCode, 303);
  });
});
