import type { FastifyInstance } from 'fastify';
import { storeNotification, validWebhookSignature } from '../sync/index.ts';
import type { WebDeps } from './deps.ts';

export const WEBHOOKS_PATH = '/qbo/webhooks';
/** Intuit sets no limit on a notification's size (docs/qbo-behaviour.md §8.2); a generous one keeps memory bounded. */
const BODY_LIMIT = 2 * 1024 * 1024;

/**
 * `POST /qbo/webhooks`: Intuit's notifications. The signature is checked over the raw bytes (QBO_WEBHOOK_VERIFIER);
 * a wrong or missing one is 401 and nothing is stored. A valid one is stored (the same body twice once) and answered
 * 200 at once — Intuit wants an answer within 3 s — and processed afterwards by the background work, at least once.
 */
export async function webhookPlugin(app: FastifyInstance, { deps }: { deps: WebDeps }): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));
  app.post(WEBHOOKS_PATH, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.headers['intuit-signature'];
    if (!validWebhookSignature(deps.config.sync.webhookVerifier, raw, typeof signature === 'string' ? signature : undefined)) {
      request.log.warn({ hasSignature: signature !== undefined }, 'webhook refused: signature does not match QBO_WEBHOOK_VERIFIER');
      return reply.code(401).send({ error: { code: 'NOT_SIGNED_IN', message: 'The intuit-signature header does not match.' } });
    }
    const stored = await storeNotification(deps.db.kysely, raw.toString('utf8'));
    if (!stored.duplicate && deps.background) {
      // Not awaited: the answer must not wait for the queue; a lost hand-over is picked up by the next tick.
      deps.background.notificationStored(stored.id).catch((error: unknown) => request.log.warn({ err: error }, 'webhook not queued; the next tick will'));
    }
    return reply.code(200).send({ received: true });
  });
}
