import type { ColumnType, Generated, Selectable } from 'kysely';
import type { DecimalString, Flag, InvoiceStatus, IsoDate, IsoTime } from '../erp/tables.ts';

/**
 * Whether a transferred credit memo's amount still has to be applied to the invoice it credits in QBO:
 * `none` (no appliesTo, or applyCreditMemos was off when it was exported), `pending`, `applied`,
 * `unapplied` (the invoice was paid, voided or deleted in QBO: reported, the credit left for the user).
 */
export type CreditApplication = 'none' | 'pending' | 'applied' | 'unapplied';

export interface CreditMemosTable {
  id: Generated<number>;
  company_id: number;
  memo_no: string;
  customer_id: number;
  memo_date: IsoDate;
  status: ColumnType<InvoiceStatus, InvoiceStatus | undefined, InvoiceStatus>;
  /** The sales invoice this memo credits (same company and customer), or null. */
  applies_to_invoice_id: number | null;
  transferred: ColumnType<Flag, Flag | undefined, Flag>;
  transferred_at: IsoTime | null;
  qbo_credit_memo_id: string | null;
  /** The books (realm) `qbo_credit_memo_id` belongs to (issue 12), set when the memo is transferred. */
  qbo_realm_id: ColumnType<string | null, string | null | undefined, string | null>;
  application: ColumnType<CreditApplication, CreditApplication | undefined, CreditApplication>;
  /** What the QBO Payment applied (decimal), once applied. */
  applied_amount: DecimalString | null;
  qbo_payment_id: string | null;
  freight: ColumnType<DecimalString, DecimalString | undefined, DecimalString>;
  handling: ColumnType<DecimalString, DecimalString | undefined, DecimalString>;
  packaging: ColumnType<DecimalString, DecimalString | undefined, DecimalString>;
  order_discount: ColumnType<DecimalString, DecimalString | undefined, DecimalString>;
  /** The tax the ERP computed (credited exactly in the `erp` sales-tax mode); null = none given. */
  tax_amount: DecimalString | null;
  updated_at: IsoTime;
}

/** Same shape as an invoice line: a product line or a line charge. */
export interface CreditMemoLinesTable {
  id: Generated<number>;
  credit_memo_id: number;
  line_no: number;
  product_id: number | null;
  charge: string | null;
  qbo_item_name: string | null;
  qty: DecimalString;
  unit_price: DecimalString;
  description: string | null;
  /** Sales tax as on invoice lines (issue 15): taxable or not (US books), or the ERP's tax code. */
  taxable: Flag | null;
  tax_code: string | null;
}

export interface CreditMemoTables {
  credit_memos: CreditMemosTable;
  credit_memo_lines: CreditMemoLinesTable;
}

export type CreditMemo = Selectable<CreditMemosTable>;
export type CreditMemoLine = Selectable<CreditMemoLinesTable>;
