import type { Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { changedFields, loadStoredLines, type StoredInvoice } from './transferred.ts';
import type { CreditMemoInput, CreditMemoLinesInput } from './validate.ts';

/**
 * A re-import meeting a credit memo we already transferred (issue 16, with issue 12's rule for invoices): identical →
 * nothing to do; changed → not applied and reported as a warning naming the fields. Compared as invoices are
 * (transferred.ts), with the memo's date and the invoice it credits.
 */
export interface StoredCreditMemo {
  asInvoice: StoredInvoice;
  /** The invoice number the memo credits, or null. */
  appliesTo: string | null;
}

/** The transferred memos' stored content, by id, in two queries per chunk. */
export async function loadStoredCreditMemos(trx: Transaction<Database>, ids: readonly number[]): Promise<Map<number, StoredCreditMemo>> {
  const found = new Map<number, StoredCreditMemo>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const headers = await trx
      .selectFrom('credit_memos as m')
      .innerJoin('customers as c', 'c.id', 'm.customer_id')
      .leftJoin('sales_invoices as s', 's.id', 'm.applies_to_invoice_id')
      .select(['m.id', 'c.customer_no', 'm.memo_date', 'm.status', 'm.qbo_credit_memo_id', 'm.freight', 'm.handling', 'm.packaging', 'm.order_discount', 'm.tax_amount', 's.invoice_no'])
      .where('m.id', 'in', chunk)
      .execute();
    for (const h of headers) {
      found.set(h.id, {
        appliesTo: h.invoice_no,
        asInvoice: {
          customerNo: h.customer_no, invoiceDate: h.memo_date, dueDate: null, customerPo: null, status: h.status, qboInvoiceId: h.qbo_credit_memo_id,
          freight: h.freight, handling: h.handling, packaging: h.packaging, orderDiscount: h.order_discount, currency: null, taxAmount: h.tax_amount,
          exchangeRate: null, lines: [],
        },
      });
    }
    for (const [id, lines] of await loadStoredLines(trx, 'credit_memo_lines', chunk)) found.get(id)?.asInvoice.lines.push(...lines);
  }
  return found;
}

/** The fields of `input` that differ from the transferred credit memo (empty: identical). */
export function memoChangedFields(input: Partial<CreditMemoInput> & Pick<CreditMemoLinesInput, 'memoNo'>, stored: StoredCreditMemo): string[] {
  // A lines-only record (credit-memo-lines.csv) compares its lines; a full one its header too.
  const { memoNo: _memoNo, company: _company, memoDate, appliesTo, ...same } = input;
  const changed = changedFields(memoDate === undefined ? same : { ...same, invoiceDate: memoDate }, stored.asInvoice)
    .map((field) => (field === 'invoiceDate' ? 'memoDate' : field));
  if (appliesTo !== undefined && appliesTo !== stored.appliesTo) changed.push('appliesTo');
  return changed;
}
