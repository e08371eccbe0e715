import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { completeIntents } from './intents.ts';

/**
 * The batch counterpart of `markInvoiceTransferred` (store/erp/invoices.ts) plus the intent ledger, for the up to
 * 30 invoices one QBO batch created: two statements instead of sixty, in the caller's transaction. Only invoices
 * not yet transferred are touched (a second writer cannot overwrite the first one's QBO id).
 */
export async function commitTransferredInvoices(
  trx: Transaction<Database>,
  companyId: number,
  done: ReadonlyArray<{ invoiceId: number; qboId: string }>,
  at: Date,
): Promise<void> {
  if (done.length === 0) return;
  const iso = at.toISOString();
  const qboIdCase = sql<string>`case id ${sql.join(done.map((d) => sql`when ${d.invoiceId} then ${d.qboId}`), sql` `)} end`;
  await trx
    .updateTable('sales_invoices')
    .set({ transferred: 1, transferred_at: iso, qbo_invoice_id: qboIdCase, updated_at: iso })
    .where('id', 'in', done.map((d) => d.invoiceId))
    // `+company_id` keeps the guard but hides the column from SQLite's planner: given `company_id = ?` it would
    // walk the company's whole (company_id, …) index instead of the 30 primary keys, a cost growing with the
    // invoices already in the company (it was most of the exporter's CPU on large runs).
    .where(sql<number>`+company_id`, '=', companyId)
    .where('transferred', '=', 0)
    .execute();
  await completeIntents(trx, companyId, 'invoice', done.map((d) => ({ recordId: d.invoiceId, qboId: d.qboId })), at);
}
