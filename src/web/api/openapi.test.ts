import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLogger } from '../../config/logger.ts';
import { scratchSqlite, type ScratchDatabase } from '../../../test/support/scratch-databases.ts';
import { testConfig } from '../../../test/web/support.ts';
import { RunEventStreams } from '../run-events.ts';
import { apiPlugin } from './plugin.ts';

interface Doc {
  paths: Record<string, Record<string, { responses?: Record<string, unknown>; parameters?: Array<{ name: string; in: string }> }>>;
}

/** The OpenAPI document is generated from the routes: every route of `/api` is in it, with its path parameters. */
void describe('OpenAPI document of /api', () => {
  let scratch: ScratchDatabase;
  let app: FastifyInstance;
  const routes: Array<{ method: string; url: string }> = [];
  before(async () => {
    scratch = await scratchSqlite('openapi');
    app = Fastify();
    // Every route the API plugin registers, as Fastify sees it (HEAD is added by Fastify for each GET).
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
    });
    await app.register(apiPlugin, {
      deps: { db: scratch.db, config: testConfig(), logger: createLogger('silent') }, streams: new RunEventStreams(), prefix: '/api',
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await scratch.destroy();
  });

  void it('lists every route of the API plugin, and nothing else', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
    const served = routes
      .filter((r) => r.url !== '/api/openapi.json')
      .map((r) => `${r.method} ${r.url.replace(/^\/api/, '').replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    assert.ok(served.length >= 12, served.join('\n'));
    assert.deepEqual(documented, served);
  });

  void it('documents each path parameter and the error answers', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries(ops)) {
        assert.deepEqual((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort(), inPath, `${method} ${path}`);
        assert.ok(op.responses?.['401'], `${method} ${path} answers 401 without a token`);
      }
    }
  });
});
