import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect } from '../support/databases.ts';
import { createLogger } from '../../src/config/logger.ts';
import { ExportService, UNAUTHORIZED_MESSAGE } from '../../src/export/index.ts';
import { tryAcquireLease } from '../../src/store/locks/repository.ts';
import { createApiToken } from '../../src/store/web/api-tokens.ts';
import { buildTestApp, seedWebFixture, signIn, testConfig, type WebFixture } from './support.ts';

/** Starting runs from the page and the API with the real export service (no QuickBooks connection here). */
describeEachDialect('web exports', ({ db }) => {
  let app: FastifyInstance;
  let f: WebFixture;
  let service: ExportService;
  let auth: { authorization: string };
  before(async () => {
    f = await seedWebFixture(db());
    service = new ExportService({ db: db(), config: testConfig(), logger: createLogger('silent') });
    app = await buildTestApp(db(), { exportService: service });
    auth = { authorization: `Bearer ${(await createApiToken(db().kysely, f.alice.id, null)).token}` };
  });
  after(async () => {
    await app.close();
    await service.close();
  });

  void it('answers 409 (API) and says so on the page while a run of the company is going elsewhere', async () => {
    // Another process holding the company's export lease is what "a run is going" means across processes.
    const lease = await tryAcquireLease(db().kysely, `export:${f.acme.id}`, 60_000);
    assert.ok(lease);
    try {
      const api = await app.inject({ method: 'POST', url: `/api/companies/${f.acme.code}/exports`, headers: auth, payload: {} });
      assert.equal(api.statusCode, 409);
      assert.equal(api.json<{ error: { code: string } }>().error.code, 'EXPORT_ALREADY_RUNNING');
      const me = await signIn(app, f.alice);
      const form = await app.inject({ method: 'POST', url: '/sales-invoice-export/runs', headers: { cookie: me.cookie }, payload: { _csrf: me.csrf, mode: 'export' } });
      assert.equal(form.statusCode, 303);
      assert.equal(form.headers.location, '/sales-invoice-export');
      const page = await app.inject({ method: 'GET', url: '/sales-invoice-export', headers: { cookie: me.cookie } });
      assert.match(page.body, /already running/);
    } finally {
      await lease.release();
    }
  });

  void it('refuses Export without the CSRF token', async () => {
    const me = await signIn(app, f.alice);
    const res = await app.inject({ method: 'POST', url: '/sales-invoice-export/runs', headers: { cookie: me.cookie }, payload: { mode: 'export' } });
    assert.equal(res.statusCode, 403);
  });

  void it('starts a run over the API (202), streams its end, and logs the seed sentence when not connected', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/companies/${f.acme.code}/exports`, headers: auth, payload: { dryRun: false } });
    assert.equal(res.statusCode, 202, res.body);
    const { runId, links } = res.json<{ runId: number; links: { events: string } }>();
    assert.equal(res.headers.location, `/api/runs/${runId}`);
    const events = await app.inject({ method: 'GET', url: `/api${links.events.replace(/^\/api/, '')}`, headers: auth });
    assert.equal(events.statusCode, 200);
    assert.match(events.headers['content-type'] as string, /^text\/event-stream/);
    const done = /event: done\ndata: (.+)\n/.exec(events.body);
    assert.ok(done?.[1], events.body);
    const summary = JSON.parse(done[1]) as { status: string; error: string | null; processLogUrl: string };
    assert.equal(summary.status, 'failed');
    assert.ok(summary.error?.includes(UNAUTHORIZED_MESSAGE), summary.error ?? '');
    assert.equal(summary.processLogUrl, `/process-log/${runId}`);

    const run = await app.inject({ method: 'GET', url: `/api/runs/${runId}`, headers: auth });
    assert.equal(run.json<{ name: string; status: string }>().name, 'Sales Invoice Exporter');
    const list = await app.inject({ method: 'GET', url: `/api/companies/${f.acme.code}/runs?status=failed`, headers: auth });
    assert.deepEqual(list.json<{ runs: Array<{ id: number }> }>().runs.map((r) => r.id), [runId]);

    // The page's run view shows the same end and links to the Process Log; Bob (another company) gets 404.
    const me = await signIn(app, f.alice);
    const page = await app.inject({ method: 'GET', url: `/sales-invoice-export/runs/${runId}`, headers: { cookie: me.cookie } });
    assert.match(page.body, /Export finished/);
    assert.match(page.body, new RegExp(`href="/process-log/${runId}"`));
    assert.ok(page.body.includes('Please reset your QuickBooks authorization token and try again.'));
    const bob = await signIn(app, f.bob);
    for (const url of [`/sales-invoice-export/runs/${runId}`, `/sales-invoice-export/runs/${runId}/events`]) {
      assert.equal((await app.inject({ method: 'GET', url, headers: { cookie: bob.cookie } })).statusCode, 404, url);
    }
    const badge = await app.inject({ method: 'GET', url: '/sales-invoice-export', headers: { cookie: me.cookie } });
    assert.match(badge.body, /QuickBooks: Not connected/);
  });

  void it('starts a dry run from the page form and lands on its run page', async () => {
    const me = await signIn(app, f.alice);
    const res = await app.inject({ method: 'POST', url: '/sales-invoice-export/runs', headers: { cookie: me.cookie }, payload: { _csrf: me.csrf, mode: 'dry-run' } });
    assert.equal(res.statusCode, 303);
    const runId = Number(/^\/sales-invoice-export\/runs\/(\d+)$/.exec(res.headers.location as string)?.[1]);
    assert.ok(runId > 0);
    const events = await app.inject({ method: 'GET', url: `/sales-invoice-export/runs/${runId}/events`, headers: { cookie: me.cookie } });
    assert.match(events.body, /event: done/);
    const run = await app.inject({ method: 'GET', url: `/api/runs/${runId}`, headers: auth });
    assert.equal(run.json<{ dryRun: boolean }>().dryRun, true);
    const page = await app.inject({ method: 'GET', url: `/sales-invoice-export/runs/${runId}`, headers: { cookie: me.cookie } });
    assert.match(page.body, /Dry run finished/);
  });
});
