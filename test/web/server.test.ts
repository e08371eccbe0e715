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
