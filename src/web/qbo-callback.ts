import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/index.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../store/db.ts';
import { connectionStore } from '../export/connections.ts';
import { completeConnect, describeConnectOutcome, type ConnectOutcome, type OutcomeMessage } from '../qbo/index.ts';
import { html } from './render/html.ts';

export interface QboCallbackOptions {
  readonly deps: { readonly db: Db; readonly config: Config; readonly logger: Logger };
  /** The signed-in user, when the app has sessions: a state started by another user is refused. */
  readonly sessionUserId?: (request: FastifyRequest) => Promise<number | undefined> | number | undefined;
  /**
   * Lets the app show the outcome in its own pages (e.g. a flash message on QuickBooks Authentication).
   * Returns true when it sent the answer (a boolean: a FastifyReply is thenable and cannot be awaited as a value),
   * false to fall back to the plain page below.
   */
  readonly respond?: (request: FastifyRequest, reply: FastifyReply, outcome: ConnectOutcome, message: OutcomeMessage) => Promise<boolean>;
}

/** Where the pages send the user back to (the web app's QuickBooks Authentication page). */
export const QUICKBOOKS_AUTH_PAGE = '/quickbooks-authentication';

/**
 * `GET /qbo/callback`: Intuit's redirect after consent (§1.4). All decisions are in the QBO layer's
 * `completeConnect`; this route only renders the outcome.
 */
export async function qboCallbackPlugin(app: FastifyInstance, opts: QboCallbackOptions): Promise<void> {
  app.get('/qbo/callback', async (request, reply) => {
    const query = stringQuery(request.query);
    const sessionUserId = opts.sessionUserId ? await opts.sessionUserId(request) : undefined;
    const { db, config, logger } = opts.deps;
    const outcome = await completeConnect({ connections: connectionStore(db), config, logger, ...(sessionUserId !== undefined ? { sessionUserId } : {}) }, query);
    const page = describeConnectOutcome(outcome);
    if (opts.respond && (await opts.respond(request, reply, outcome, page))) return reply;
    // The code and state are in this URL: keep it out of referrers and caches.
    void reply
      .code(page.httpStatus)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8');
    return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title></head>
<body data-outcome="${outcome.kind}" style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>${page.title}</h1>
<p>${page.message}</p>
<p><a href="${QUICKBOOKS_AUTH_PAGE}">Back to QuickBooks Authentication</a></p>
</body></html>`.toString();
  });
}

function stringQuery(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (query && typeof query === 'object') {
    for (const [key, value] of Object.entries(query)) if (typeof value === 'string') out[key] = value;
  }
  return out;
}
