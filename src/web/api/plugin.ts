import type { FastifyInstance } from 'fastify';
import type { WebDeps } from '../deps.ts';
import type { RunEventStreams } from '../run-events.ts';
import { authenticateApi } from './auth.ts';
import { registerExportRoutes } from './exports.ts';
import { registerInvoiceRoutes } from './invoices.ts';
import { registerOpenApi } from './openapi.ts';
import { routeSchemaCompilers } from './validation.ts';
import { registerSummaryRoutes } from './summary.ts';
import { registerUpsertRoutes } from './upserts.ts';

/** `/api`: JSON with bearer API tokens; no cookies, so no CSRF. Encapsulated apart from the pages. */
export async function apiPlugin(app: FastifyInstance, { deps, streams }: { deps: WebDeps; streams: RunEventStreams }): Promise<void> {
  app.decorateRequest('apiUserId', null);
  routeSchemaCompilers(app);
  await registerOpenApi(app);
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    if (request.routeOptions.url !== '/api/openapi.json') await authenticateApi(request, deps.db);
  });
  registerSummaryRoutes(app, deps, streams);
  registerExportRoutes(app, deps);
  registerUpsertRoutes(app, deps);
  registerInvoiceRoutes(app, deps);
}
