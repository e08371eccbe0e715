import type { FastifyInstance } from 'fastify';
import type { Db } from '../../store/db.ts';
import { ImportSession, type ImportCounts } from '../../store/import/session.ts';
import type { SourceRecord } from '../../store/import/sources.ts';
import type { RecordKind } from '../../store/import/validate.ts';
import type { WebDeps } from '../deps.ts';
import { InvalidInputError, type FieldProblem } from '../errors.ts';
import { apiCompany } from './auth.ts';

/** A batch beyond this belongs in `qbo-export import` (streamed), not in one HTTP body. */
export const MAX_BATCH = 1000;

class Rollback extends Error {}

type UpsertKind = Exclude<RecordKind, 'companies'>;
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
    throw new InvalidInputError('Expected a JSON object.', [{ field: label, message: 'expected an object' }]);
  }
  return wholeNumbersAsText(raw) as Record<string, unknown>;
}

/**
 * Upserts records exactly as the import does (the same ImportSession: field validation, known customers and
 * products, transferred invoices refused), in one transaction: all written, or 422 naming each field.
 */
async function upsert(db: Db, kind: UpsertKind, records: Record<string, unknown>[], companyCode: string | undefined): Promise<ImportCounts> {
  const problems: FieldProblem[] = [];
  records.forEach((r, i) => {
    if (companyCode !== undefined && r.company !== undefined && r.company !== companyCode) {
      problems.push({ field: records.length > 1 ? `[${i}].company` : 'company', message: `must be ${companyCode} (the company in the URL) or left out` });
    }
  });
  if (problems.length > 0) throw new InvalidInputError('The record names another company.', problems);
  const batch: SourceRecord[] = records.map((raw, i) => ({
    kind,
    label: records.length > 1 ? `${kind}[${i}]` : kind.replace(/s$/, ''),
    raw: companyCode !== undefined ? { ...raw, company: companyCode } : raw,
  }));
  let session: ImportSession | undefined;
  try {
    await db.kysely.transaction().execute(async (trx) => {
      session = new ImportSession(trx, companyCode);
      await session.handle(batch);
      if (session.problemCount > 0) throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback) || !session) throw error;
    const found = session.problems.map((p) => ({
      field: records.length > 1 ? `${p.record.replace(/^\w+(\[\d+\]).*$/, '$1')}${p.field ? `.${p.field}` : ''}` : p.field,
      message: p.message,
    }));
    throw new InvalidInputError(`${session.problemCount} problem${session.problemCount === 1 ? '' : 's'}; nothing was written.`, found);
  }
  if (!session) throw new Error('upsert session was not started');
  return session.counts;
}

function single(body: unknown, kind: UpsertKind, key: string): Record<string, unknown> {
  const record = asObject(body, '');
  const field = keyField[kind];
  if (record[field] !== undefined && record[field] !== key) {
    throw new InvalidInputError(`The ${field} in the body differs from the URL.`, [{ field, message: `must be ${key} (as in the URL) or left out` }]);
  }
  return { ...record, [field]: key };
}

function many(body: unknown): Record<string, unknown>[] {
  if (!Array.isArray(body)) throw new InvalidInputError('Expected a JSON array of records.', [{ field: '', message: 'expected an array' }]);
  if (body.length === 0 || body.length > MAX_BATCH) {
    throw new InvalidInputError(`Send 1 to ${MAX_BATCH} records at a time.`, [{ field: '', message: `expected 1 to ${MAX_BATCH} records` }]);
  }
  return body.map((r, i) => asObject(r, `[${i}]`));
}

export function registerUpsertRoutes(app: FastifyInstance, deps: WebDeps): void {
  // Customers are shared by all companies (the Customer Master), so they are not under a company.
  app.put<{ Params: { customerNo: string } }>('/customers/:customerNo', async (request) => {
    const counts = await upsert(deps.db, 'customers', [single(request.body, 'customers', request.params.customerNo)], undefined);
    return { upserted: counts.customers };
  });
  app.post('/customers', async (request) => ({ upserted: (await upsert(deps.db, 'customers', many(request.body), undefined)).customers }));

  for (const kind of ['products', 'invoices'] as const) {
    app.put<{ Params: { code: string; key: string } }>(`/companies/:code/${kind}/:key`, async (request) => {
      const company = await apiCompany(request, deps.db, request.params.code);
      const counts = await upsert(deps.db, kind, [single(request.body, kind, request.params.key)], company.code);
      return { upserted: counts[kind], ...(kind === 'invoices' ? { lines: counts.lines } : {}) };
    });
    app.post<{ Params: { code: string } }>(`/companies/:code/${kind}`, async (request) => {
      const company = await apiCompany(request, deps.db, request.params.code);
      const counts = await upsert(deps.db, kind, many(request.body), company.code);
      return { upserted: counts[kind], ...(kind === 'invoices' ? { lines: counts.lines } : {}) };
    });
  }
}
