import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { inTransaction, type Db } from '../../store/db.ts';
import { ImportSession, type ImportCounts } from '../../store/import/session.ts';
import type { SourceRecord } from '../../store/import/sources.ts';
import type { RecordKind } from '../../store/import/validate.ts';
import type { WebDeps } from '../deps.ts';
import { WebError, type FieldProblem } from '../errors.ts';
import { apiCompany, requireMasterData } from './auth.ts';
import { arrayBody, objectBody } from './request-input.ts';
import { codeParam, customerRecord, invoiceRecord, productRecord, responses, upserted } from './schemas.ts';

/** A batch beyond this belongs in `qbo-export import` (streamed), not in one HTTP body. */
export const MAX_BATCH = 1000;

class Rollback extends Error {}

// Credit memos come in through `qbo-export import` only (issue 16 asks no REST route for them).
type UpsertKind = Exclude<RecordKind, 'companies' | 'creditMemos'>;
const keyField: Record<UpsertKind, string> = { customers: 'customerNo', products: 'productNo', invoices: 'invoiceNo' };

/**
 * Whole JSON numbers as their digits, everywhere in a record: the import reads every number as its source
 * text (store/import/json-source.ts), so `"invoiceNo": 1001` or `"qty": 3` must mean the same here as there.
 * Whole numbers beyond 2^53 are left as numbers: JSON.parse has already changed their digits, so the
 * validation refuses them rather than store a different invoice or customer number. Fractions stay numbers
 * for the decimal fields, which convert them exactly (store/import/fields.ts).
 */
function wholeNumbersAsText(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : value;
  if (Array.isArray(value)) return value.map(wholeNumbersAsText);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wholeNumbersAsText(v)]));
  }
  return value;
}

function asObject(raw: unknown, label: string): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new WebError('BAD_REQUEST', 'Expected a JSON object.', [{ field: label, message: 'expected an object' }]);
  }
  return wholeNumbersAsText(raw) as Record<string, unknown>;
}

/**
 * Upserts records exactly as the import does (the same ImportSession: field validation, known customers and
 * products, transferred invoices refused), in one transaction: all written, or 422 naming each field.
 */
async function upsert(db: Db, kind: UpsertKind, records: Record<string, unknown>[], companyCode: string | undefined): Promise<ImportCounts & { warnings?: FieldProblem[] }> {
  const problems: FieldProblem[] = [];
  records.forEach((r, i) => {
    if (companyCode !== undefined && r.company !== undefined && r.company !== companyCode) {
      problems.push({ field: records.length > 1 ? `[${i}].company` : 'company', message: `must be ${companyCode} (the company in the URL) or left out` });
    }
  });
  if (problems.length > 0) throw new WebError('INVALID_INPUT', 'The record names another company.', problems);
  const batch: SourceRecord[] = records.map((raw, i) => ({
    kind,
    label: records.length > 1 ? `${kind}[${i}]` : kind.replace(/s$/, ''),
    raw: companyCode !== undefined ? { ...raw, company: companyCode } : raw,
  }));
  let session: ImportSession | undefined;
  try {
    await db.kysely.transaction().execute(async (trx) => {
      session = new ImportSession(inTransaction(db, trx), companyCode);
      await session.handle(batch);
      if (session.problemCount > 0) throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback) || !session) throw error;
    const found = session.problems.map((p) => ({
      field: records.length > 1 ? `${p.record.replace(/^\w+(\[\d+\]).*$/, '$1')}${p.field ? `.${p.field}` : ''}` : p.field,
      message: p.message,
    }));
    throw new WebError('INVALID_INPUT', `${session.problemCount} problem${session.problemCount === 1 ? '' : 's'}; nothing was written.`, found);
  }
  if (!session) throw new Error('upsert session was not started');
  // Changes to invoices already transferred are kept out, and said (issue 12: re-sending is not an error).
  const warnings = session.warnings.map((w) => ({ field: w.field, message: `${w.record}: ${w.message}` }));
  return warnings.length > 0 ? { ...session.counts, warnings } : session.counts;
}

function single(body: unknown, kind: UpsertKind, key: string): Record<string, unknown> {
  const record = asObject(objectBody(body), '');
  const field = keyField[kind];
  if (record[field] !== undefined && record[field] !== key) {
    throw new WebError('INVALID_INPUT', `The ${field} in the body differs from the URL.`, [{ field, message: `must be ${key} (as in the URL) or left out` }]);
  }
  return { ...record, [field]: key };
}

function many(raw: unknown): Record<string, unknown>[] {
  const body = arrayBody(raw);
  if (body.length === 0 || body.length > MAX_BATCH) {
    throw new WebError('INVALID_INPUT', `Send 1 to ${MAX_BATCH} records at a time.`, [{ field: '', message: `expected 1 to ${MAX_BATCH} records` }]);
  }
  return body.map((r, i) => asObject(r, `[${i}]`));
}

const recordSchema = { customers: customerRecord, products: productRecord, invoices: invoiceRecord } as const;
const text = z.string();
const batchOf = (kind: UpsertKind) => z.array(recordSchema[kind]).min(1).max(MAX_BATCH);

export function registerUpsertRoutes(app: FastifyInstance, deps: WebDeps): void {
  // Customers are shared by all companies (the Customer Master), so they are not under a company, and only a
  // user or token with the master-data permission or every company may change them (auth.ts).
  app.put<{ Params: { customerNo: string } }>('/customers/:customerNo', {
    schema: {
      summary: 'Create or update one customer (shared by all companies)', tags: ['Records'],
      params: z.object({ customerNo: text }), body: customerRecord, response: responses({ 200: upserted }, 400, 401, 403, 422),
    },
  }, async (request) => {
    const record = single(request.body, 'customers', request.params.customerNo);
    await requireMasterData(request, deps.db);
    const counts = await upsert(deps.db, 'customers', [record], undefined);
    return { upserted: counts.customers };
  });
  app.post('/customers', {
    schema: {
      summary: `Create or update up to ${MAX_BATCH} customers, all or nothing`, tags: ['Records'],
      body: batchOf('customers'), response: responses({ 200: upserted }, 400, 401, 403, 422),
    },
  }, async (request) => {
    const records = many(request.body);
    await requireMasterData(request, deps.db);
    return { upserted: (await upsert(deps.db, 'customers', records, undefined)).customers };
  });

  for (const kind of ['products', 'invoices'] as const) {
    const key = keyField[kind];
    app.put<{ Params: { code: string } & Record<string, string> }>(`/companies/:code/${kind}/:${key}`, {
      schema: {
        summary: `Create or update one ${kind.slice(0, -1)} by ${key}`, tags: ['Records'],
        params: z.object({ code: codeParam, [key]: text }), body: recordSchema[kind], response: responses({ 200: upserted }, 401, 404, 422),
      },
    }, async (request) => {
      const company = await apiCompany(request, deps.db, request.params.code);
      const counts = await upsert(deps.db, kind, [single(request.body, kind, request.params[key] ?? '')], company.code);
      return { upserted: counts[kind], ...(kind === 'invoices' ? { lines: counts.lines } : {}), ...(counts.warnings ? { warnings: counts.warnings } : {}) };
    });
    app.post<{ Params: { code: string } }>(`/companies/:code/${kind}`, {
      schema: {
        summary: `Create or update up to ${MAX_BATCH} ${kind}, all or nothing`, tags: ['Records'],
        params: z.object({ code: codeParam }), body: batchOf(kind), response: responses({ 200: upserted }, 401, 404, 422),
      },
    }, async (request) => {
      const company = await apiCompany(request, deps.db, request.params.code);
      const counts = await upsert(deps.db, kind, many(request.body), company.code);
      return { upserted: counts[kind], ...(kind === 'invoices' ? { lines: counts.lines } : {}), ...(counts.warnings ? { warnings: counts.warnings } : {}) };
    });
  }
}
