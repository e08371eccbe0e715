import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkCsrf, loadSession } from '../auth/session.ts';
import type { WebDeps } from '../deps.ts';
import { registerSignIn } from './sign-in.ts';
import { registerCompanySwitch } from './company-switch.ts';
import { registerExportPage } from './export-page.ts';
import { registerProcessLog } from './process-log.ts';
import { registerQuickBooksAuth } from './quickbooks-auth.ts';
import { registerSetup } from './setup.ts';
import { qboCallbackPlugin } from '../qbo-callback.ts';
import { flashNext } from '../auth/viewer.ts';
import { QBO_AUTH_PATH } from './quickbooks-auth.ts';
import { registerRunPage } from './run-page.ts';
import { html } from '../render/html.ts';
import { page } from '../render/layout.ts';
import type { RunEventStreams } from '../run-events.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false on the one form that checks its own token (sign-in, which has no session yet). */
    csrf?: boolean;
  }
}

/** Headers every page gets: no framing, no sniffing, scripts and styles only from this origin. */
function securityHeaders(reply: FastifyReply): void {
  void reply.headers({
    'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  });
}

/**
 * The browser side: sessions, CSRF on every form POST, and the pages. Encapsulated so that its hooks
 * do not touch the API or an embedded emulator mounted on the same server.
 */
export async function pagesPlugin(app: FastifyInstance, { deps, streams }: { deps: WebDeps; streams: RunEventStreams }): Promise<void> {
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  app.decorateRequest('webSession', null);
  app.decorateRequest('webSessionId', null);
  app.addHook('onRequest', async (request, reply) => {
    securityHeaders(reply);
    await loadSession(request, deps.db);
  });
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.routeOptions.config.csrf !== false) checkCsrf(request);
  });
  registerSignIn(app, deps);
  registerCompanySwitch(app, deps);
  registerExportPage(app, deps);
  registerRunPage(app, deps, streams);
  registerQuickBooksAuth(app, deps);
  registerProcessLog(app, deps);
  registerSetup(app, deps);
  // Intuit's redirect comes back here; a signed-in user lands on QuickBooks Authentication with the outcome.
  await app.register(qboCallbackPlugin, {
    deps,
    sessionUserId: (request) => request.webSession?.userId,
    respond: async (request, reply, outcome, message) => {
      const text = outcome.kind === 'connected'
        ? `QuickBooks connected: company ${outcome.realmId}. Go back to Sales Invoice Export to continue with the export.`
        : `${message.title}. ${message.message}`;
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
