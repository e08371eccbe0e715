import { Big } from 'big.js';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { InvoiceInput, InvoiceLinesInput } from './validate.ts';

/**
 * A re-import meeting an invoice we already transferred to QuickBooks (issue 12): a nightly full feed from the
 * ERP sends it again. Identical → nothing to do; changed → not applied (QuickBooks has the transferred version)
 * and reported as a warning naming the fields; `"transferred": false` keeps ours, as we are the source of that fact.
 */
export interface StoredInvoice {
  customerNo: string;
  invoiceDate: string;
  dueDate: string | null;
  customerPo: string | null;
  status: string;
  qboInvoiceId: string | null;
  freight: string;
  handling: string;
  packaging: string;
  orderDiscount: string;
  currency: string | null;
  taxAmount: string | null;
  exchangeRate: string | null;
  lines: Array<{ productNo: string | null; charge: string | null; qboItemName: string | null; qty: string; unitPrice: string; description: string | null }>;
}

/** The transferred invoices' stored content, by id, in two queries per chunk. */
export async function loadStoredInvoices(trx: Transaction<Database>, ids: readonly number[]): Promise<Map<number, StoredInvoice>> {
  const found = new Map<number, StoredInvoice>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const headers = await trx
      .selectFrom('sales_invoices as s')
      .innerJoin('customers as c', 'c.id', 's.customer_id')
      .select(['s.id', 'c.customer_no', 's.invoice_date', 's.due_date', 's.customer_po', 's.status', 's.qbo_invoice_id', 's.freight', 's.handling', 's.packaging', 's.order_discount', 's.currency', 's.tax_amount', 's.exchange_rate'])
      .where('s.id', 'in', chunk)
      .execute();
    for (const h of headers) {
      found.set(h.id, {
        customerNo: h.customer_no, invoiceDate: h.invoice_date, dueDate: h.due_date, customerPo: h.customer_po, status: h.status,
        qboInvoiceId: h.qbo_invoice_id, freight: h.freight, handling: h.handling, packaging: h.packaging, orderDiscount: h.order_discount,
        currency: h.currency, taxAmount: h.tax_amount, exchangeRate: h.exchange_rate, lines: [],
      });
    }
    for (const [id, lines] of await loadStoredLines(trx, 'invoice_lines', chunk)) found.get(id)?.lines.push(...lines);
  }
  return found;
}

/** The stored lines of invoices or credit memos (a chunk of ids), by document id, in line order. */
export async function loadStoredLines(
  trx: Transaction<Database>,
  table: 'invoice_lines' | 'credit_memo_lines',
  ids: readonly number[],
): Promise<Map<number, StoredInvoice['lines']>> {
  const documentId = sql.ref(`l.${table === 'invoice_lines' ? 'invoice_id' : 'credit_memo_id'}`);
  const rows = await sql<{ document_id: number; product_no: string | null; charge: string | null; qbo_item_name: string | null; qty: string; unit_price: string; description: string | null }>`
    select ${documentId} as document_id, p.product_no, l.charge, l.qbo_item_name, l.qty, l.unit_price, l.description
    from ${sql.table(table)} l left join products p on p.id = l.product_id
    where ${documentId} in (${sql.join(ids)}) order by ${documentId}, l.line_no`.execute(trx);
  const found = new Map<number, StoredInvoice['lines']>();
  for (const l of rows.rows) {
    const id = Number(l.document_id);
    const list = found.get(id) ?? [];
    list.push({ productNo: l.product_no, charge: l.charge, qboItemName: l.qbo_item_name, qty: l.qty, unitPrice: l.unit_price, description: l.description });
    found.set(id, list);
  }
  return found;
}

const sameDecimal = (a: string, b: string) => new Big(a).eq(new Big(b));
const sameOptionalDecimal = (a: string | null | undefined, b: string | null) =>
  a === undefined || (a === null ? b === null : b !== null && sameDecimal(a, b));
const sameText = (a: string | null | undefined, b: string | null | undefined) => (a ?? null) === (b ?? null);

/** The fields of `input` that differ from the transferred invoice (empty: identical). */
export function changedFields(input: Partial<Omit<InvoiceInput, 'lines'>> & { lines?: InvoiceLinesInput['lines'] | undefined }, stored: StoredInvoice): string[] {
  const changed: string[] = [];
  const text = (field: keyof StoredInvoice & keyof InvoiceInput) => {
    if (input[field] !== undefined && !sameText(input[field] as string | null, stored[field] as string | null)) changed.push(field);
  };
  const money = (field: 'freight' | 'handling' | 'packaging' | 'orderDiscount') => {
    if (input[field] !== undefined && !sameDecimal(input[field], stored[field])) changed.push(field);
  };
  for (const f of ['customerNo', 'invoiceDate', 'dueDate', 'customerPo', 'status', 'currency'] as const) text(f);
  for (const f of ['freight', 'handling', 'packaging', 'orderDiscount'] as const) money(f);
  for (const f of ['taxAmount', 'exchangeRate'] as const) if (!sameOptionalDecimal(input[f], stored[f])) changed.push(f);
  // The ERP's own record of the transfer: only a different QBO invoice id is a change ("transferred": false keeps ours).
  if (input.transferred && input.qboInvoiceId && input.qboInvoiceId !== stored.qboInvoiceId) changed.push('qboInvoiceId');
  if (input.lines !== undefined) {
    const lines = input.lines;
    if (lines.length !== stored.lines.length) changed.push('lines');
    else {
      lines.forEach((l, i) => {
        const s = stored.lines[i];
        if (!s) return;
        const diff = !sameText(l.productNo, s.productNo) || !sameText(l.charge, s.charge) || !sameText(l.qboItemName, s.qboItemName)
          || !sameDecimal(l.qty, s.qty) || !sameDecimal(l.unitPrice, s.unitPrice) || !sameText(l.description, s.description);
        if (diff) changed.push(`lines[${i}]`);
      });
    }
  }
  return changed;
}
