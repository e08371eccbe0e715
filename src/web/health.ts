import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { pendingMigrations } from '../store/migrate.ts';

/**
 * Probes for load balancers and scripts, open to everyone and cheap. `/healthz`: the process answers (also while
 * it starts: server.ts answers it before the app exists). `/readyz`: the app is built, the database answers and
 * every migration is applied — only then should traffic be sent here.
 */
export function registerHealth(app: FastifyInstance, db: Db): void {
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok', ready: true }));

  app.get('/readyz', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    try {
      await sql`select 1`.execute(db.kysely);
      const pending = await pendingMigrations(db);
      if (pending.length > 0) {
        return reply.status(503).header('retry-after', '5').send({ status: 'not-ready', reason: `migrations not applied: ${pending.join(', ')}` });
      }
    } catch (error) {
      request.log.warn({ err: { message: (error as Error).message } }, 'readiness check: database unreachable');
      return reply.status(503).header('retry-after', '5').send({ status: 'not-ready', reason: 'the database does not answer' });
    }
    return reply.send({ status: 'ready' });
  });
}
