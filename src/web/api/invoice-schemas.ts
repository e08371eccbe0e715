import { z } from 'zod';
import { QBO_STATUSES } from '../../sync/index.ts';

/** The shapes of the invoice-state routes (issue 14), as `invoices --json` and `sync --json` give them. */
const money = z.string().meta({ description: 'Decimal string, e.g. "37.50"' });

const invoiceState = z.object({
  invoiceNo: z.string(),
  transferred: z.boolean(),
  qboInvoiceId: z.string().nullable(),
  qboStatus: z.enum(QBO_STATUSES).nullable().meta({ description: 'null when never transferred' }),
  qboBalance: money.nullable(),
  qboTotal: money.nullable(),
  lastPaymentDate: z.string().nullable().meta({ format: 'date' }),
}).meta({ id: 'InvoiceQboState' });

export const invoicesResponse = z.object({ company: z.string(), invoices: z.array(invoiceState) });
export const invoicesQuery = z.object({
  qboStatus: z.string().optional().meta({ enum: [...QBO_STATUSES] }),
});
const count = z.number().meta({ type: 'integer' });
export const syncResponse = z.object({
  company: z.string(),
  changes: count,
  qboStatus: z.object({ open: count, 'partially-paid': count, paid: count, voided: count, deleted: count }),
}).meta({ id: 'SyncResult' });
export const reexportRequest = z.object({ confirm: z.literal(true).meta({ description: 'Must be true: exporting again is an explicit choice' }) }).strict();
export const reexportResponse = z.object({ invoiceNo: z.string(), transferred: z.literal(false) });
