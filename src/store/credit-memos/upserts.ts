import { sql } from 'kysely';
import type { TxHandle } from '../db.ts';
import { bulkInsert, setFromExcluded, type BulkColumn } from '../erp/bulk.ts';
import { nowIso } from '../erp/queryable.ts';
import type { InvoiceLineRecord } from '../erp/records.ts';
import type { DecimalString, InvoiceStatus, IsoDate } from '../erp/tables.ts';

/** A validated credit memo, resolved to database ids (the import produces it). */
export interface CreditMemoRecord {
  companyId: number;
  memoNo: string;
  customerId: number;
  memoDate: IsoDate;
  status: InvoiceStatus;
  appliesToInvoiceId: number | null;
  freight: DecimalString;
  handling: DecimalString;
  packaging: DecimalString;
  orderDiscount: DecimalString;
  taxAmount: DecimalString | null;
  /** Replace the stored lines; undefined keeps them (a CSV header-only file). */
  lines: InvoiceLineRecord[] | undefined;
}

const text = (name: string): BulkColumn => ({ name, type: 'text' });
const integer = (name: string): BulkColumn => ({ name, type: 'integer' });
const rowsPerStatement = 1000;

const memoColumns = [
  integer('company_id'), text('memo_no'), integer('customer_id'), text('memo_date'), text('status'), integer('applies_to_invoice_id'),
  text('freight'), text('handling'), text('packaging'), text('order_discount'), text('tax_amount'), text('updated_at'),
];
const memoUpdated = ['customer_id', 'memo_date', 'status', 'applies_to_invoice_id', 'freight', 'handling', 'packaging', 'order_discount', 'tax_amount', 'updated_at'];
const lineColumns = [
  integer('credit_memo_id'), integer('line_no'), integer('product_id'), text('charge'), text('qbo_item_name'), text('qty'),
  text('unit_price'), text('description'), integer('taxable'), text('tax_code'),
];

export function creditMemoKey(companyId: number, memoNo: string): string {
  return `${companyId}\t${memoNo}`;
}

/**
 * Upserts credit memos by (company, memoNo) and replaces the lines of those that carry lines. A transferred memo
 * is never changed (the import refuses it first; the conflict clause guards the race). Returns key → id.
 */
export async function upsertCreditMemos(trx: TxHandle, records: readonly CreditMemoRecord[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const updatedAt = nowIso();
  const onConflict = sql`on conflict (company_id, memo_no) do update set ${setFromExcluded(memoUpdated)}
  where credit_memos.transferred = 0
  returning id, company_id, memo_no`;
  for (let i = 0; i < records.length; i += rowsPerStatement) {
    const chunk = records.slice(i, i + rowsPerStatement);
    const rows = chunk.map((m) => [
      m.companyId, m.memoNo, m.customerId, m.memoDate, m.status, m.appliesToInvoiceId, m.freight, m.handling, m.packaging, m.orderDiscount, m.taxAmount, updatedAt,
    ]);
    const result = await bulkInsert<{ id: number; company_id: number; memo_no: string }>(trx, 'credit_memos', memoColumns, rows, onConflict);
    for (const row of result) ids.set(creditMemoKey(Number(row.company_id), row.memo_no), Number(row.id));
    await replaceCreditMemoLines(trx, chunk.flatMap((m) => {
      if (m.lines === undefined) return [];
      const memoId = ids.get(creditMemoKey(m.companyId, m.memoNo));
      if (memoId === undefined) throw new Error(`Credit memo ${m.memoNo} is transferred and cannot be replaced`);
      return [{ memoId, lines: m.lines }];
    }));
  }
  return ids;
}

/** Replaces all lines of each credit memo (line_no 1…n in the given order). */
export async function replaceCreditMemoLines(
  trx: TxHandle,
  memos: ReadonlyArray<{ memoId: number; lines: readonly InvoiceLineRecord[] }>,
): Promise<void> {
  if (memos.length === 0) return;
  const memoIds = memos.map((m) => m.memoId);
  for (let i = 0; i < memoIds.length; i += 500) {
    await trx.kysely.deleteFrom('credit_memo_lines').where('credit_memo_id', 'in', memoIds.slice(i, i + 500)).execute();
  }
  const rows = memos.flatMap(({ memoId, lines }) =>
    lines.map((l, index) => [
      memoId, index + 1, l.productId, l.charge, l.qboItemName, l.qty, l.unitPrice, l.description,
      l.taxable === undefined || l.taxable === null ? null : l.taxable ? 1 : 0, l.taxCode ?? null,
    ]),
  );
  for (let i = 0; i < rows.length; i += rowsPerStatement) await bulkInsert(trx, 'credit_memo_lines', lineColumns, rows.slice(i, i + rowsPerStatement));
}
