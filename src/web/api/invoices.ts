import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { invoiceStateJson, invoiceStatesCsv, listInvoicesWithState, QBO_STATUSES, reexportInvoice, syncCompany, type QboStatus } from '../../sync/index.ts';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { apiCompany } from './auth.ts';
import { invoicesQuery, invoicesResponse, reexportRequest, reexportResponse, syncResponse } from './invoice-schemas.ts';
import { codeParam, responses } from './schemas.ts';

const byCode = z.object({ code: codeParam });
const byInvoice = z.object({ code: codeParam, invoiceNo: z.string() });

function statusOf(value: string | undefined): QboStatus | undefined {
  if (value === undefined) return undefined;
  if (!(QBO_STATUSES as readonly string[]).includes(value)) {
    throw new WebError('INVALID_INPUT', 'Unknown QuickBooks state.', [{ field: 'qboStatus', message: `expected one of ${QBO_STATUSES.join(', ')}` }]);
  }
  return value as QboStatus;
}

async function rowsOf(deps: WebDeps, request: FastifyRequest<{ Params: { code: string }; Querystring: { qboStatus?: string } }>) {
  const company = await apiCompany(request, deps.db, request.params.code);
  const qboStatus = statusOf(request.query.qboStatus);
  const rows = await listInvoicesWithState(deps.db.kysely, company.id, qboStatus ? { qboStatus } : {});
  return { company, invoices: rows.map(invoiceStateJson) };
}

/** QuickBooks back to the ERP: each invoice's QBO state (JSON and CSV), a sync now, and the explicit re-export. */
export function registerInvoiceRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get<{ Params: { code: string }; Querystring: { qboStatus?: string } }>('/companies/:code/invoices', {
    schema: {
      summary: "The company's invoices with their QuickBooks state", tags: ['QuickBooks state'], params: byCode, querystring: invoicesQuery,
      response: responses({ 200: invoicesResponse }, 401, 404, 422),
    },
  }, async (request) => {
    const { company, invoices } = await rowsOf(deps, request);
    return { company: company.code, invoices };
  });

  app.get<{ Params: { code: string }; Querystring: { qboStatus?: string } }>('/companies/:code/invoices.csv', {
    schema: {
      summary: 'The same as CSV, for spreadsheets', tags: ['QuickBooks state'], params: byCode, querystring: invoicesQuery,
      // The CSV body is sent as text, not serialised: only the error answers have a schema.
      response: responses({}, 401, 404, 422),
    },
  }, async (request, reply) => {
    const { company, invoices } = await rowsOf(deps, request);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${company.code}-invoices.csv"`)
      .send(invoiceStatesCsv(invoices));
  });

  app.post<{ Params: { code: string } }>('/companies/:code/sync', {
    schema: {
      summary: 'Read QuickBooks changes now (change data capture)', tags: ['QuickBooks state'], params: byCode,
      response: responses({ 200: syncResponse }, 401, 404, 409),
    },
  }, async (request) => {
    const company = await apiCompany(request, deps.db, request.params.code);
    return syncCompany(deps, { id: company.id }, { wait: true });
  });

  app.post<{ Params: { code: string; invoiceNo: string }; Body: unknown }>('/companies/:code/invoices/:invoiceNo/reexport', {
    schema: {
      summary: 'Export an invoice voided or deleted in QuickBooks again (clears transferred)', tags: ['QuickBooks state'], params: byInvoice,
      body: reexportRequest, response: responses({ 200: reexportResponse }, 401, 404, 409, 422),
    },
  }, async (request) => {
    const company = await apiCompany(request, deps.db, request.params.code);
    if (!reexportRequest.safeParse(request.body).success) {
      throw new WebError('INVALID_INPUT', 'Exporting again must be confirmed.', [{ field: 'confirm', message: 'must be true: the invoice is sent to QuickBooks again by the next export' }]);
    }
    await reexportInvoice(deps.db, company.code, request.params.invoiceNo);
    return { invoiceNo: request.params.invoiceNo, transferred: false as const };
  });
}
