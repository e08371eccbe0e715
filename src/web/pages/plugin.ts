import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { checkCsrf, loadSession } from '../auth/session.ts';
import type { WebDeps } from '../deps.ts';
import type { RunEventStreams } from '../run-events.ts';
import { registerCompanySwitch } from './company-switch.ts';
import { registerConnectCallback } from './connect-callback.ts';
import { registerExportPage } from './export-page.ts';
import { registerInvoicesPage } from './invoices-page.ts';
import { registerProcessLog } from './process-log.ts';
import { registerQuickBooksAuth } from './quickbooks-auth.ts';
import { registerRunPage } from './run-page.ts';
import { registerSetup } from './setup.ts';
import { registerSignIn } from './sign-in.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false on the one form that checks its own token (sign-in, which has no session yet). */
    csrf?: boolean;
  }
}


/**
 * The browser side: sessions, CSRF on every form POST, and the pages. Encapsulated so that its hooks
 * do not touch the API or an embedded emulator mounted on the same server.
 */
export async function pagesPlugin(app: FastifyInstance, { deps, streams }: { deps: WebDeps; streams: RunEventStreams }): Promise<void> {
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  app.decorateRequest('webSession', null);
  app.addHook('onRequest', async (request, reply) => {
    // Pages hold signed-in data: never kept by a browser or a proxy (the security headers come from app.ts).
    void reply.header('cache-control', 'no-store');
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
  registerInvoicesPage(app, deps);
  registerProcessLog(app, deps);
  registerSetup(app, deps);
  await registerConnectCallback(app, deps);
}
