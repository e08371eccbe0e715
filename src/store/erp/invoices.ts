import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { booksOf, type Books } from './qbo-ids.ts';
import { documentCustomers, linesByDocument } from './document-parts.ts';
import { nowIso, type Queryable } from './queryable.ts';
import { toExportInvoice, type ExportCustomer, type ExportInvoice, type ExportInvoiceLine } from './app-types.ts';
import type { SalesInvoice } from './tables.ts';

/** An invoice as the exporter reads it (app types, app-types.ts). */
export interface InvoiceWithLines {
  invoice: ExportInvoice;
  customer: ExportCustomer;
  /** The customer's QBO id in the books read for (null: not yet matched or added there). */
  customerQboId: string | null;
  /** In lineNo order. */
  lines: ExportInvoiceLine[];
}

export interface InvoicePage {
  /** Only invoices with a greater id: keyset paging so a run over a million invoices stays in bounded memory. */
  afterId?: number;
  limit: number;
}

/**
 * Seed: qualifying sales invoices are the company's approved ones not yet transferred, oldest id first.
 * The status and flag are SQL literals so both planners can use the partial index `invoices_to_export`.
 */
export async function listInvoicesToExport(db: Queryable, companyId: number, page: InvoicePage, books: Books): Promise<InvoiceWithLines[]> {
  let query = db
    .selectFrom('sales_invoices')
    .selectAll()
    .where('company_id', '=', companyId)
    .where(sql<boolean>`status = 'approved' and transferred = 0`)
    .orderBy('id')
    .limit(page.limit);
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  return withLines(db, await query.execute(), books);
}

/** The invoice with its customer's and products' ids in `books` (default: the books its company uses now). */
export async function getInvoiceWithLines(db: Queryable, id: number, books?: Books): Promise<InvoiceWithLines | undefined> {
  const invoice = await db.selectFrom('sales_invoices').selectAll().where('id', '=', id).executeTakeFirst();
  if (!invoice) return undefined;
  const company = await db.selectFrom('companies').select(['id', 'qbo_realm_id']).where('id', '=', invoice.company_id).executeTakeFirstOrThrow();
  return (await withLines(db, [invoice], books ?? booksOf(company)))[0];
}

export async function findInvoiceByNo(db: Queryable, companyId: number, invoiceNo: string): Promise<SalesInvoice | undefined> {
  return db
    .selectFrom('sales_invoices')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('invoice_no', '=', invoiceNo)
    .executeTakeFirst();
}

/**
 * Records the QBO invoice ids and marks the invoices transferred, in the caller's transaction (the one that
 * commits the export's bookkeeping, store/runs/commit.ts). Only invoices not yet transferred are touched, so a
 * second writer cannot overwrite the first one's QBO id; returns how many were marked.
 */
export async function markInvoicesTransferred(
  trx: Transaction<Database>,
  companyId: number,
  done: ReadonlyArray<{ invoiceId: number; qboId: string }>,
  at: Date,
  books: Books,
): Promise<number> {
  if (done.length === 0) return 0;
  const iso = nowIso(at);
  const qboIdCase = sql<string>`case id ${sql.join(done.map((d) => sql`when ${d.invoiceId} then ${d.qboId}`), sql` `)} end`;
  const result = await trx
    .updateTable('sales_invoices')
    .set({ transferred: 1, transferred_at: iso, qbo_invoice_id: qboIdCase, qbo_realm_id: books, updated_at: iso })
    .where('id', 'in', done.map((d) => d.invoiceId))
    // `+company_id` keeps the guard but hides the column from SQLite's planner: given `company_id = ?` it would
    // walk the company's whole (company_id, …) index instead of the 30 primary keys, a cost growing with the
    // invoices already in the company (it was most of the exporter's CPU on large runs).
    .where(sql<number>`+company_id`, '=', companyId)
    .where('transferred', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** One invoice of `markInvoicesTransferred`; false when it was already transferred (a second writer lost). */
export async function markInvoiceTransferred(trx: Transaction<Database>, invoiceId: number, qboInvoiceId: string, at: Date, books: Books): Promise<boolean> {
  const row = await trx.selectFrom('sales_invoices').select('company_id').where('id', '=', invoiceId).executeTakeFirst();
  return row !== undefined && (await markInvoicesTransferred(trx, row.company_id, [{ invoiceId, qboId: qboInvoiceId }], at, books)) === 1;
}

/** Loads the customers and lines of a page of invoices with two queries (no N+1). */
async function withLines(db: Queryable, invoices: SalesInvoice[], books: Books): Promise<InvoiceWithLines[]> {
  if (invoices.length === 0) return [];
  const customers = await documentCustomers(db, books, invoices.map((i) => i.customer_id));
  const lines = await db
    .selectFrom('invoice_lines as l')
    .leftJoin('products as p', 'p.id', 'l.product_id')
    .leftJoin('qbo_ids as q', (join) => join.onRef('q.record_id', '=', 'l.product_id').on('q.realm_id', '=', books).on('q.kind', '=', 'product'))
    .selectAll('l')
    .select(['p.product_no as product_no', 'q.qbo_id as product_qbo_id'])
    .where('l.invoice_id', 'in', invoices.map((i) => i.id))
    .orderBy('l.invoice_id')
    .orderBy('l.line_no')
    .execute();
  const linesByInvoice = linesByDocument(lines, (l) => l.invoice_id);
  return invoices.map((invoice) => {
    const customer = customers.of(`Invoice ${invoice.id}`, invoice.customer_id);
    return { invoice: toExportInvoice(invoice), customer, customerQboId: customers.qboId(customer.id), lines: linesByInvoice.get(invoice.id) ?? [] };
  });
}
