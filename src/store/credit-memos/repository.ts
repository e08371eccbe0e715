import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { toExportInvoice, type ExportCustomer, type ExportInvoice, type ExportInvoiceLine } from '../erp/app-types.ts';
import { documentCustomers, linesByDocument } from '../erp/document-parts.ts';
import type { Books } from '../erp/qbo-ids.ts';
import { nowIso, type Queryable } from '../erp/queryable.ts';
import type { DecimalString } from '../erp/tables.ts';
import { toExportCreditMemo, type ExportCreditMemo } from './app-types.ts';
import type { CreditApplication, CreditMemo } from './tables.ts';

/** The invoice a memo credits, as the exporter needs it. */
export type CreditedInvoice = Pick<ExportInvoice, 'id' | 'invoiceNo' | 'status' | 'transferred' | 'qboInvoiceId' | 'qboRealmId' | 'customerId'>;

/** A credit memo as the exporter reads it (app types: erp/app-types.ts, ./app-types.ts). */
export interface CreditMemoWithLines {
  memo: ExportCreditMemo;
  customer: ExportCustomer;
  /** The customer's QBO id in the books read for (null: not yet matched or added there), as on invoices. */
  customerQboId: string | null;
  /** In lineNo order; the same view as invoice lines (the mapping is shared). */
  lines: ExportInvoiceLine[];
  appliesTo: CreditedInvoice | null;
}

/**
 * Seed-style rule: qualifying credit memos are the company's approved ones not yet transferred, oldest id first,
 * with the customer's and products' ids in `books` (the run's realm, issue 12).
 */
export async function listCreditMemosToExport(db: Queryable, companyId: number, page: { afterId?: number; limit: number }, books: Books): Promise<CreditMemoWithLines[]> {
  let query = db
    .selectFrom('credit_memos')
    .selectAll()
    .where('company_id', '=', companyId)
    .where(sql<boolean>`status = 'approved' and transferred = 0`)
    .orderBy('id')
    .limit(page.limit);
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  return withLines(db, await query.execute(), books);
}

export async function countCreditMemosToExport(db: Queryable, companyId: number): Promise<number> {
  const row = await db
    .selectFrom('credit_memos')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('company_id', '=', companyId)
    .where(sql<boolean>`status = 'approved' and transferred = 0`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Transferred memos whose credit still has to be applied to their invoice in QBO — only those transferred to
 * `books`: a memo left in the books the company used before is applied there or not at all.
 */
export async function listCreditMemosToApply(db: Queryable, companyId: number, books: Books): Promise<CreditMemoWithLines[]> {
  const memos = await db
    .selectFrom('credit_memos')
    .selectAll()
    .where('company_id', '=', companyId)
    .where(sql<boolean>`application = 'pending'`)
    .where('qbo_realm_id', '=', books)
    .orderBy('id')
    .execute();
  return withLines(db, memos, books);
}

export async function getCreditMemo(db: Queryable, id: number): Promise<CreditMemo | undefined> {
  return db.selectFrom('credit_memos').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCreditMemoByNo(db: Queryable, companyId: number, memoNo: string): Promise<CreditMemo | undefined> {
  return db.selectFrom('credit_memos').selectAll().where('company_id', '=', companyId).where('memo_no', '=', memoNo).executeTakeFirst();
}

/**
 * Stores the QBO credit memo id and marks the memo transferred, in the caller's transaction (the one that completes
 * the intent), with the books (realm) that id belongs to. `application` says whether its credit must still be applied.
 * False when it was already transferred.
 */
export async function markCreditMemoTransferred(
  trx: Transaction<Database>,
  memoId: number,
  qboId: string,
  application: Extract<CreditApplication, 'none' | 'pending'>,
  at: Date,
  books: Books,
): Promise<boolean> {
  const result = await trx
    .updateTable('credit_memos')
    .set({ transferred: 1, transferred_at: nowIso(at), qbo_credit_memo_id: qboId, qbo_realm_id: books, application, updated_at: nowIso() })
    .where('id', '=', memoId)
    .where('transferred', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Settles a pending application: applied (with the Payment's id and amount) or left unapplied. */
export async function settleCreditApplication(
  trx: Transaction<Database>,
  memoId: number,
  outcome: { application: 'applied'; amount: DecimalString; qboPaymentId: string } | { application: 'unapplied' },
): Promise<void> {
  await trx
    .updateTable('credit_memos')
    .set(outcome.application === 'applied'
      ? { application: 'applied', applied_amount: outcome.amount, qbo_payment_id: outcome.qboPaymentId, updated_at: nowIso() }
      : { application: 'unapplied', updated_at: nowIso() })
    .where('id', '=', memoId)
    .where('application', '=', 'pending')
    .execute();
}

/** The memos' customers, lines and credited invoices, with the customer's and products' QBO ids in `books` (as invoices.ts). */
async function withLines(db: Queryable, memos: CreditMemo[], books: Books): Promise<CreditMemoWithLines[]> {
  if (memos.length === 0) return [];
  const customers = await documentCustomers(db, books, memos.map((m) => m.customer_id));
  const invoiceIds = [...new Set(memos.flatMap((m) => (m.applies_to_invoice_id === null ? [] : [m.applies_to_invoice_id])))];
  // Whole rows, so that the one invoice mapper serves: a page holds few credited invoices.
  const invoices = invoiceIds.length === 0 ? [] : await db.selectFrom('sales_invoices').selectAll().where('id', 'in', invoiceIds).execute();
  const invoiceById = new Map<number, CreditedInvoice>(invoices.map((i) => [i.id, toExportInvoice(i)]));
  const lines = await db
    .selectFrom('credit_memo_lines as l')
    .leftJoin('products as p', 'p.id', 'l.product_id')
    .leftJoin('qbo_ids as q', (join) => join.onRef('q.record_id', '=', 'l.product_id').on('q.realm_id', '=', books).on('q.kind', '=', 'product'))
    .select(['l.id', 'l.credit_memo_id', 'l.line_no', 'l.product_id', 'l.charge', 'l.qbo_item_name', 'l.qty', 'l.unit_price', 'l.description', 'l.taxable', 'l.tax_code'])
    .select(['p.product_no as product_no', 'q.qbo_id as product_qbo_id'])
    .where('l.credit_memo_id', 'in', memos.map((m) => m.id))
    .orderBy('l.credit_memo_id')
    .orderBy('l.line_no')
    .execute();
  const linesByMemo = linesByDocument(lines, (l) => l.credit_memo_id);
  return memos.map((memo) => {
    const customer = customers.of(`Credit memo ${memo.id}`, memo.customer_id);
    const appliesTo = memo.applies_to_invoice_id === null ? null : (invoiceById.get(memo.applies_to_invoice_id) ?? null);
    return { memo: toExportCreditMemo(memo), customer, customerQboId: customers.qboId(customer.id), lines: linesByMemo.get(memo.id) ?? [], appliesTo };
  });
}
