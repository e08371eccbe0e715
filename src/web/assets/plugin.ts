import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** The stylesheet and the one script (live progress), read once; small enough to keep in memory. */
const assets = {
  'style.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./style.css', import.meta.url), 'utf8') },
  'progress.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./progress.js', import.meta.url), 'utf8') },
} as const;

export async function assetsPlugin(app: FastifyInstance): Promise<void> {
  for (const [name, asset] of Object.entries(assets)) {
    app.get(`/assets/${name}`, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff').send(asset.body),
    );
  }
}
