import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../support/databases.ts';
import { createLogger } from '../../src/config/logger.ts';
import { createRun } from '../../src/store/runs/repository.ts';
import { createApiToken } from '../../src/store/web/api-tokens.ts';
import { sessionCookieOptions } from '../../src/web/auth/session.ts';
import { buildApp } from '../../src/web/app.ts';
import { bindServer, closeGracefully, urlOf } from '../../src/web/server.ts';
import { seedWebFixture, testConfig } from './support.ts';

void it('marks the session cookie Secure when the public URL is https', () => {
  assert.equal(sessionCookieOptions({ publicUrl: 'https://export.example.com' }).secure, true);
  assert.equal(sessionCookieOptions({ publicUrl: 'http://127.0.0.1:3000' }).secure, false);
  assert.equal(sessionCookieOptions({ publicUrl: 'http://127.0.0.1:3000' }).httpOnly, true);
});

describeEachDialect('web server', ({ db }) => {
  void it('answers 503 with Retry-After (and /healthz 200) until the app is ready, then the app', async () => {
    await seedWebFixture(db());
    const bound = await bindServer(0, '127.0.0.1');
    const base = urlOf(bound);
    try {
      const early = await fetch(`${base}/`, { redirect: 'manual', headers: { accept: 'text/html' } });
      assert.equal(early.status, 503);
      assert.equal(early.headers.get('retry-after'), '1');
      assert.equal(early.headers.get('x-content-type-options'), 'nosniff');
      assert.match(await early.text(), /http-equiv="refresh"/);
      const api = await fetch(`${base}/api/companies`);
      assert.equal(api.status, 503);
      assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'STARTING');
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      assert.equal((await fetch(`${base}/readyz`)).status, 503);

      const app = await buildApp({ db: db(), config: testConfig(), logger: createLogger('silent') }, { bound });
      assert.equal((await fetch(`${base}/`, { redirect: 'manual' })).status, 503, 'built but not ready');
      await app.ready();
      bound.open();
      assert.equal((await fetch(`${base}/`, { redirect: 'manual' })).status, 303);
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready' });
      assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok', ready: true });

      // A migration missing from the database: not ready, and it says which.
      const last = await db().kysely.selectFrom('kysely_migration' as never).select('name' as never).orderBy('name' as never, 'desc').executeTakeFirstOrThrow() as { name: string };
      await db().kysely.deleteFrom('kysely_migration' as never).where('name' as never, '=', last.name as never).execute();
      try {
        const notReady = await fetch(`${base}/readyz`);
        assert.equal(notReady.status, 503);
        assert.match(((await notReady.json()) as { reason: string }).reason, new RegExp(last.name));
      } finally {
        await db().kysely.insertInto('kysely_migration' as never).values({ name: last.name, timestamp: new Date().toISOString() }).execute();
      }
      await closeGracefully(app, bound.server, 2_000);
    } finally {
      if (bound.server.listening) bound.server.close();
    }
  });

  void it('listens on port 0 and closes gracefully while a live-progress stream is open', async () => {
    const f = await seedWebFixture(db());
    const bound = await bindServer(0, '127.0.0.1');
    assert.ok(bound.port > 0);
    const app = await buildApp({ db: db(), config: testConfig(), logger: createLogger('silent') }, { bound });
    await app.ready();
    bound.open();
    const runId = await createRun(db().kysely, { companyId: f.acme.id, startedBy: f.alice.email, dryRun: false });
    const { token } = await createApiToken(db().kysely, f.alice.id, null);
    const res = await fetch(`${urlOf(bound)}/api/runs/${runId}/events`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const reader = res.body?.getReader();
    assert.ok(reader);
    const first = await reader.read();
    assert.match(new TextDecoder().decode(first.value), /retry: 2000/);

    const started = Date.now();
    await closeGracefully(app, bound.server, 5_000);
    assert.ok(Date.now() - started < 4_000, 'the open stream did not hold the close for the whole grace period');
    let ended = false;
    while (!ended) ended = (await reader.read()).done;
    assert.equal(bound.server.listening, false);
  });
});
