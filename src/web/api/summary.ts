import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { exportCounts } from '../../store/erp/counts.ts';
import { getRun, listRuns } from '../../store/runs/repository.ts';
import type { RunStatus } from '../../store/runs/tables.ts';
import { companiesOfUser } from '../auth/users.ts';
import { connectionOf } from '../connection.ts';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import type { RunEventStreams } from '../run-events.ts';
import { streamRunEvents } from '../run-events.ts';
import { apiCompany, apiUser } from './auth.ts';
import { enumParam, intParam } from './request-input.ts';
import { codeParam, companiesResponse, exportSummary, responses, runIdParam, runsQuery, runsResponse, runStatuses, runWithMessages } from './schemas.ts';

const statuses: readonly RunStatus[] = runStatuses;
const byCode = z.object({ code: codeParam });
const byRunId = z.object({ id: runIdParam });

/** Read side of the API: companies, the export summary, the Process Log and one run (with its event stream). */
export function registerSummaryRoutes(app: FastifyInstance, deps: WebDeps, streams: RunEventStreams): void {
  app.get('/companies', {
    schema: { summary: "The token user's companies", tags: ['Export'], response: responses({ 200: companiesResponse }, 401) },
  }, async (request) => {
    const companies = await companiesOfUser(deps.db, apiUser(request));
    return { companies: companies.map((c) => ({ code: c.code, name: c.name, qbPrimaryCompany: c.qb_primary_company === 1 })) };
  });

  app.get<{ Params: { code: string } }>('/companies/:code/export-summary', {
    schema: {
      summary: 'Export counts, QuickBooks connection and the last run', tags: ['Export'], params: byCode,
      response: responses({ 200: exportSummary }, 401, 404),
    },
  }, async (request) => {
    const company = await apiCompany(request, deps.db, request.params.code);
    const [counts, connection, runs] = await Promise.all([
      exportCounts(deps.db.kysely, company.id),
      connectionOf(deps, company.id),
      listRuns(deps.db.kysely, { companyId: company.id, limit: 1 }),
    ]);
    return {
      company: { code: company.code, name: company.name, qbPrimaryCompany: company.qb_primary_company === 1 },
      counts,
      connection,
      lastRun: runs[0] ?? null,
    };
  });

  app.get<{ Params: { code: string }; Querystring: { status?: string; limit?: string; offset?: string } }>('/companies/:code/runs', {
    schema: {
      summary: 'Process Log entries, newest first', tags: ['Process Log'], params: byCode, querystring: runsQuery,
      response: responses({ 200: runsResponse }, 400, 401, 404),
    },
  }, async (request) => {
    // Checked like a body: `limit=abc` is a 400, never a silent default.
    const status = enumParam(request, 'status', statuses);
    const limit = intParam(request, 'limit', { min: 1, max: 500, fallback: 50 });
    const offset = intParam(request, 'offset', { min: 0, max: 1_000_000_000, fallback: 0 });
    const company = await apiCompany(request, deps.db, request.params.code);
    const runs = await listRuns(deps.db.kysely, { companyId: company.id, limit, offset, ...(status ? { status } : {}) });
    return { runs };
  });

  const runOfToken = async (userId: number, id: string) => {
    const run = /^\d+$/.test(id) ? await getRun(deps.db.kysely, Number(id)) : null;
    const companies = await companiesOfUser(deps.db, userId);
    if (!run || !companies.some((c) => c.id === run.companyId)) throw new WebError('NOT_FOUND', `There is no run ${id}.`);
    return run;
  };

  app.get<{ Params: { id: string } }>('/runs/:id', {
    schema: {
      summary: 'One run with its per-record messages, errors first', tags: ['Process Log'], params: byRunId,
      response: responses({ 200: runWithMessages }, 401, 404),
    },
  }, async (request) => runOfToken(apiUser(request), request.params.id));

  app.get<{ Params: { id: string } }>('/runs/:id/events', {
    schema: {
      summary: 'Server-sent events of a run', tags: ['Process Log'], params: byRunId,
      description: '`event: progress` with `{phase, done, total}` while the run goes, then one `event: done` with the run summary (`status`, `counts`, `error`, `processLogUrl`); the stream then ends.',
      produces: ['text/event-stream'],
      response: responses({ 200: z.string().meta({ description: 'text/event-stream' }) }, 401, 404),
    },
  }, async (request, reply) => {
    const run = await runOfToken(apiUser(request), request.params.id);
    await streamRunEvents(request, reply, deps, streams, run.id);
  });
}
