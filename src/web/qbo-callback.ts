import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/index.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../store/db.ts';
import { connectionStore } from '../export/connections.ts';
import { completeConnect, describeConnectOutcome, type CallbackSession, type ConnectOutcome, type OutcomeMessage } from '../qbo/index.ts';
import { html } from './render/html.ts';
import { connectedBooksText } from './books-switch.ts';

export interface QboCallbackOptions {
  readonly deps: { readonly db: Db; readonly config: Config; readonly logger: Logger };
  /**
   * For an app with sign-in: the session at the callback (null when none). A state started in a session
   * completes only in that session (`completeConnect`). Absent: no sessions, any state completes.
   */
  readonly session?: (request: FastifyRequest) => CallbackSession;
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
    const { db, config, logger } = opts.deps;
    const outcome = await completeConnect({ connections: connectionStore(db), config, logger, ...(opts.session ? { session: opts.session(request) } : {}) }, query);
    const described = describeConnectOutcome(outcome);
    // The plain page names the books and what the next export does there (the counts follow the connected realm).
    const page = outcome.kind === 'connected'
      ? { ...described, message: `${described.message} ${await connectedBooksText(db, outcome.companyId, outcome)}` }
      : described;
    if (opts.respond && (await opts.respond(request, reply, outcome, page))) return reply;
    // The code and state are in this URL: keep it out of referrers and caches.
    void reply
      .code(page.httpStatus)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8');
    return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title><link rel="stylesheet" href="/assets/style.css"></head>
<body data-outcome="${outcome.kind}"><main id="main">
<h1>${page.title}</h1>
<p>${page.message}</p>
<p><a href="${QUICKBOOKS_AUTH_PAGE}">Back to QuickBooks Authentication</a></p>
</main></body></html>`.toString();
  });
}

function stringQuery(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (query && typeof query === 'object') {
    for (const [key, value] of Object.entries(query)) if (typeof value === 'string') out[key] = value;
  }
  return out;
}
