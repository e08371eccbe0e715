import type { FastifyInstance } from 'fastify';
import { exportCounts } from '../../store/erp/counts.ts';
import { getRun, listRuns } from '../../store/runs/repository.ts';
import type { RunStatus } from '../../store/runs/tables.ts';
import { companiesOfUser } from '../auth/users.ts';
import { connectionOf } from '../connection.ts';
import type { WebDeps } from '../deps.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { RunEventStreams } from '../run-events.ts';
import { streamRunEvents } from '../run-events.ts';
import { apiCompany, apiUser } from './auth.ts';

const statuses: readonly RunStatus[] = ['running', 'succeeded', 'partial', 'failed'];

/** Read side of the API: companies, the export summary, the Process Log and one run (with its event stream). */
export function registerSummaryRoutes(app: FastifyInstance, deps: WebDeps, streams: RunEventStreams): void {
  app.get('/companies', async (request) => {
    const companies = await companiesOfUser(deps.db, apiUser(request));
    return { companies: companies.map((c) => ({ code: c.code, name: c.name, qbPrimaryCompany: c.qb_primary_company === 1 })) };
  });

  app.get<{ Params: { code: string } }>('/companies/:code/export-summary', async (request) => {
    const company = await apiCompany(request, deps.db, request.params.code);
    const [counts, connection, runs] = await Promise.all([
      exportCounts(deps.db.kysely, company.id),
      connectionOf(deps, company.id),
      listRuns(deps.db, { companyId: company.id, limit: 1 }),
    ]);
    return {
      company: { code: company.code, name: company.name, qbPrimaryCompany: company.qb_primary_company === 1 },
      counts,
      connection,
      lastRun: runs[0] ?? null,
    };
  });

  app.get<{ Params: { code: string }; Querystring: { status?: string; limit?: string; offset?: string } }>('/companies/:code/runs', async (request) => {
    const company = await apiCompany(request, deps.db, request.params.code);
    const { status } = request.query;
    if (status !== undefined && !(statuses as readonly string[]).includes(status)) {
      throw new InvalidInputError('Unknown status.', [{ field: 'status', message: `expected one of ${statuses.join(', ')}` }]);
    }
    const limit = Math.min(Math.max(Number.parseInt(request.query.limit ?? '50', 10) || 50, 1), 500);
    const offset = Math.max(Number.parseInt(request.query.offset ?? '0', 10) || 0, 0);
    const runs = await listRuns(deps.db, { companyId: company.id, limit, offset, ...(status ? { status: status as RunStatus } : {}) });
    return { runs };
  });

  const runOfToken = async (userId: number, id: string) => {
    const run = /^\d+$/.test(id) ? await getRun(deps.db, Number(id)) : null;
    const companies = await companiesOfUser(deps.db, userId);
    if (!run || !companies.some((c) => c.id === run.companyId)) throw new NotFoundError(`There is no run ${id}.`);
    return run;
  };

  app.get<{ Params: { id: string } }>('/runs/:id', async (request) => runOfToken(apiUser(request), request.params.id));

  app.get<{ Params: { id: string } }>('/runs/:id/events', async (request, reply) => {
    const run = await runOfToken(apiUser(request), request.params.id);
    await streamRunEvents(request, reply, deps, streams, run.id);
  });
}
