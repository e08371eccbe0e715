import type { FastifyInstance } from 'fastify';
import type { WebDeps } from '../deps.ts';
import type { RunEventStreams } from '../run-events.ts';
import { authenticateApi } from './auth.ts';
import { checkQueryNames } from './request-input.ts';
import { registerExportRoutes } from './exports.ts';
import { registerInvoiceRoutes } from './invoices.ts';
import { registerOpenApi } from './openapi.ts';
import { routeSchemaCompilers } from './validation.ts';
import { registerSummaryRoutes } from './summary.ts';
import { registerUpsertRoutes } from './upserts.ts';
import { registerRecordReads } from './record-reads.ts';

/** `/api`: JSON with bearer API tokens; no cookies, so no CSRF. Encapsulated apart from the pages. */
export async function apiPlugin(app: FastifyInstance, { deps, streams }: { deps: WebDeps; streams: RunEventStreams }): Promise<void> {
  app.decorateRequest('apiUserId', null);
  app.decorateRequest('apiTokenMasterData', false);
  routeSchemaCompilers(app);
  await registerOpenApi(app);
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    if (request.routeOptions.url !== '/api/openapi.json') await authenticateApi(request, deps.db);
  });
  // Query strings are checked like bodies: a parameter the route does not take is a 400, not silently ignored.
  app.addHook('preValidation', async (request) => checkQueryNames(request));
  registerSummaryRoutes(app, deps, streams);
  registerExportRoutes(app, deps);
  registerUpsertRoutes(app, deps);
  registerInvoiceRoutes(app, deps);
  registerRecordReads(app, deps);
}
