import { z } from 'zod';
import { customerInputSchema, invoiceInputSchema, productInputSchema } from '../../store/import/validate.ts';

/**
 * The shapes of `/api`, as zod schemas on the routes: openapi.ts generates the OpenAPI document from them, so the
 * document lists exactly the routes there are. Request bodies are documented here and validated by the handlers
 * (the import's own validation, which names every field: 422), so the documented records are the import's schemas.
 * Query and path values arrive as text; `meta` says what they mean.
 */
/** A whole number (z.int() would also print JavaScript's safe-integer bounds into the document). */
const int = z.number().meta({ type: 'integer' });
const dateTime = z.string().meta({ format: 'date-time' });
const nullableDateTime = dateTime.nullable();

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    problems: z.array(z.object({
      field: z.string().meta({ description: 'e.g. `lines[0].qty`, or `[2].lines[0].qty` in a batch' }),
      message: z.string(),
    })).optional(),
  }),
}).meta({ id: 'Error' });

const company = z.object({ code: z.string(), name: z.string(), qbPrimaryCompany: z.boolean() }).meta({ id: 'Company' });
const counts = z.object({ productExportQty: int, customerExportQty: int, invoiceExportQty: int, creditMemoExportQty: int }).meta({ id: 'Counts' });
const connection = z.object({
  connected: z.boolean().meta({ description: 'A QuickBooks connection exists; see needsReconnect for whether it still works' }),
  realmId: z.string().nullable(),
  companyName: z.string().nullable().meta({ description: "QuickBooks' name of the connected company (CompanyInfo.CompanyName)" }),
  previousRealmId: z.string().nullable().meta({ description: 'After a reconnect to other books, until the next run noted it: the realm before' }),
  previousCompanyName: z.string().nullable(),
  needsReconnect: z.boolean(),
  reason: z.string().nullable(),
  reasonCode: z.string().nullable(),
  lastRefreshAt: nullableDateTime,
  accessTokenExpiresAt: nullableDateTime,
  refreshTokenExpiresAt: nullableDateTime,
  hardExpiresAt: nullableDateTime,
  daysUntilRefreshExpiry: int.nullable(),
  warning: z.string().nullable(),
}).meta({ id: 'Connection' });

export const runStatuses = ['running', 'succeeded', 'partial', 'failed'] as const;
const recordTally = z.object({ matched: int, added: int, failed: int, inDoubt: int });
const runFields = {
  id: int,
  name: z.string().meta({ example: 'Sales Invoice Exporter' }),
  companyId: int,
  companyCode: z.string(),
  startedBy: z.string(),
  startedAt: dateTime,
  finishedAt: nullableDateTime,
  status: z.enum(runStatuses),
  dryRun: z.boolean(),
  error: z.string().nullable(),
  counts: z.object({
    customers: recordTally,
    products: recordTally,
    invoices: z.object({ created: int, alreadyInQbo: int, failed: int, inDoubt: int }),
    creditMemos: z.object({ created: int, alreadyInQbo: int, failed: int, applied: int, inDoubt: int }),
  }),
};
const run = z.object(runFields).meta({ id: 'Run' });
const runWithMessages = z.object({
  ...runFields,
  messages: z.array(z.object({
    level: z.enum(['error', 'warning', 'info']),
    recordKind: z.enum(['run', 'customer', 'product', 'invoice', 'credit-memo']),
    recordKey: z.string().nullable(),
    qboCode: z.string().nullable(),
    message: z.string(),
    at: dateTime,
  })),
}).meta({ id: 'RunWithMessages' });

export const companiesResponse = z.object({ companies: z.array(company) });
export const exportSummary = z.object({ company, counts, connection, lastRun: run.nullable() }).meta({ id: 'ExportSummary' });
export const runsResponse = z.object({ runs: z.array(run) });
export { runWithMessages };
export const runStarted = z.object({
  runId: int,
  status: z.enum(['running']),
  links: z.object({ run: z.string(), events: z.string(), processLog: z.string() }),
}).meta({ id: 'RunStarted' });
export const upserted = z.object({
  upserted: int,
  lines: int.optional(),
  /** Changes sent for invoices already transferred to QuickBooks: not applied (issue 12). */
  warnings: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export const exportRequest = z.object({ dryRun: z.boolean().default(false) }).strict().optional();
export const customerRecord = customerInputSchema.meta({ id: 'Customer' });
export const productRecord = productInputSchema.meta({ id: 'Product' });
export const invoiceRecord = invoiceInputSchema.meta({ id: 'Invoice' });

export const codeParam = z.string().meta({ description: 'Company code, e.g. ACME' });
export const runIdParam = z.string().meta({ type: 'integer' });
export const runsQuery = z.object({
  status: z.string().optional().meta({ enum: [...runStatuses] }),
  limit: z.string().optional().meta({ type: 'integer', minimum: 1, maximum: 500, default: 50 }),
  offset: z.string().optional().meta({ type: 'integer', minimum: 0, default: 0 }),
});

/** The answer of each error status, in the user's terms. */
export const errorText = {
  400: 'Malformed request: wrong JSON type, nesting too deep, or a bad or unknown query parameter', 401: 'No or unknown API token',
  403: 'Customers are shared by every company: changing them needs every company or the master-data permission', 404: 'Unknown, or not one of the token user\'s companies',
  409: 'A run for the company is already going', 422: 'Invalid records: `problems` names each field; nothing was written',
  503: 'This server does not run exports',
} as const;

/** Response schemas of a route: its success and the errors it may answer (all with the `Error` body). */
export function responses(ok: Record<number, z.ZodType>, ...errors: Array<keyof typeof errorText>): Record<number, z.ZodType> {
  return { ...ok, ...Object.fromEntries(errors.map((status) => [status, errorBody])) };
}
