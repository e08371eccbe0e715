import type { FastifyInstance } from 'fastify';
import { findUserById } from '../auth/users.ts';
import type { WebDeps } from '../deps.ts';
import { InvalidInputError, UnavailableError } from '../errors.ts';
import { apiCompany, apiUser } from './auth.ts';

/** POST starts a run and answers 202 at once; a run already going for the company is 409 (error handler). */
export function registerExportRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.post<{ Params: { code: string }; Body: unknown }>('/companies/:code/exports', async (request, reply) => {
    const company = await apiCompany(request, deps.db, request.params.code);
    const body = (request.body ?? {}) as { dryRun?: unknown };
    if (typeof body !== 'object' || (body.dryRun !== undefined && typeof body.dryRun !== 'boolean')) {
      throw new InvalidInputError('Invalid request body.', [{ field: 'dryRun', message: 'expected true or false' }]);
    }
    if (!deps.exportService) throw new UnavailableError('Exports cannot be started from this server.');
    const user = await findUserById(deps.db, apiUser(request));
    const { runId } = await deps.exportService.start(company.id, `${user?.email ?? 'unknown'} (API)`, { dryRun: body.dryRun === true });
    return reply
      .status(202)
      .header('location', `/api/runs/${runId}`)
      .send({ runId, status: 'running', links: { run: `/api/runs/${runId}`, events: `/api/runs/${runId}/events`, processLog: `/process-log/${runId}` } });
  });
}
