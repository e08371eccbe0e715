import type { FastifyInstance } from 'fastify';
import { flashNext } from '../auth/viewer.ts';
import type { WebDeps } from '../deps.ts';
import { qboCallbackPlugin } from '../qbo-callback.ts';
import { booksName } from '../../qbo/index.ts';
import { connectedBooksText } from '../books-switch.ts';
import { html } from '../render/html.ts';
import { page } from '../render/layout.ts';
import { QBO_AUTH_PATH } from './quickbooks-auth.ts';

/**
 * Intuit's redirect (`GET /qbo/callback`, the QBO layer's plugin) ends on the QuickBooks Authentication page:
 * a signed-in user is sent back there with the outcome as a one-shot message, as the seed's procedure expects.
 */
export async function registerConnectCallback(app: FastifyInstance, deps: WebDeps): Promise<void> {
  await app.register(qboCallbackPlugin, {
    deps,
    // A state started in a session completes only in that session (the QBO layer decides).
    session: (request) => request.webSession ? { userId: request.webSession.userId, startedStateHash: request.webSession.oauthStateHash } : null,
    respond: async (request, reply, outcome, message) => {
      const text = outcome.kind === 'connected'
        ? `QuickBooks connected: ${booksName(outcome.realmId, outcome.companyName)}. ${await connectedBooksText(deps.db, outcome.companyId, outcome)} Go back to Sales Invoice Export to continue with the export.`
        : `${message.title}. ${message.message}`;
      // The code and state are in this URL: keep it out of referrers.
      void reply.header('referrer-policy', 'no-referrer');
      if (request.webSession) {
        await flashNext(deps.db, request.webSession.idHash, { kind: message.ok ? 'success' : 'error', text });
        void reply.redirect(QBO_AUTH_PATH, 303);
      } else {
        // No session cookie here (e.g. signed in on another host name than PUBLIC_URL): say it on a plain page.
        const body = html`<section class="card"><h1>${message.title}</h1><p>${text}</p>
          <p><a href="${QBO_AUTH_PATH}">QuickBooks Authentication</a></p></section>`;
        void reply.status(message.httpStatus).type('text/html; charset=utf-8').send(page({ title: message.title, body }).value);
      }
      return true;
    },
  });
}
