import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findUserById } from '../auth/users.ts';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { apiCompany, apiUser } from './auth.ts';
import { objectBody } from './request-input.ts';
import { codeParam, exportRequest, responses, runStarted } from './schemas.ts';

/** POST starts a run and answers 202 at once; a run already going for the company is 409 (error handler). */
export function registerExportRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.post<{ Params: { code: string }; Body: unknown }>('/companies/:code/exports', {
    schema: {
      summary: 'Start an export (or a dry run)', tags: ['Export'], params: z.object({ code: codeParam }), body: exportRequest,
      response: responses({ 202: runStarted.meta({ description: 'Started; follow `links.events`' }) }, 400, 401, 404, 409, 422, 503),
    },
  }, async (request, reply) => {
    // One JSON object or no body: `[{"dryRun":true}]` is not a dry run but a 400.
    const body = objectBody(request.body, { optional: true });
    const unknown = Object.keys(body).filter((k) => k !== 'dryRun');
    if (unknown.length > 0) throw new WebError('INVALID_INPUT', 'Unknown field.', unknown.map((field) => ({ field, message: 'unknown field (this endpoint takes dryRun)' })));
    if (body.dryRun !== undefined && typeof body.dryRun !== 'boolean') {
      throw new WebError('INVALID_INPUT', 'Invalid request body.', [{ field: 'dryRun', message: 'expected true or false' }]);
    }
    const company = await apiCompany(request, deps.db, request.params.code);
    if (!deps.exportService) throw new WebError('UNAVAILABLE', 'Exports cannot be started from this server.');
    const user = await findUserById(deps.db, apiUser(request));
    const { runId } = await deps.exportService.start(company.id, `${user?.email ?? 'unknown'} (API)`, { dryRun: body.dryRun === true });
    return reply
      .status(202)
      .header('location', `/api/runs/${runId}`)
      .send({ runId, status: 'running', links: { run: `/api/runs/${runId}`, events: `/api/runs/${runId}/events`, processLog: `/process-log/${runId}` } });
  });
}
