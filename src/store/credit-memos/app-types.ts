import { headerChargesOf, transferOf } from '../erp/app-types.ts';
import type { DecimalString } from '../erp/tables.ts';
import type { CreditMemoRecord } from './upserts.ts';
import type { CreditApplication, CreditMemo } from './tables.ts';

/** A credit memo as the exporter reads it: as the ERP records of erp/app-types.ts (camelCase, booleans, Dates). */
export interface ExportCreditMemo extends Omit<CreditMemoRecord, 'lines'> {
  id: number;
  transferred: boolean;
  transferredAt: Date | null;
  qboCreditMemoId: string | null;
  /** The books `qboCreditMemoId` belongs to, set when the memo is transferred. */
  qboRealmId: string | null;
  application: CreditApplication;
  /** What the QBO Payment applied, once applied. */
  appliedAmount: DecimalString | null;
  qboPaymentId: string | null;
  updatedAt: Date;
}

export function toExportCreditMemo(row: CreditMemo): ExportCreditMemo {
  return {
    id: row.id,
    companyId: row.company_id,
    memoNo: row.memo_no,
    customerId: row.customer_id,
    memoDate: row.memo_date,
    status: row.status,
    appliesToInvoiceId: row.applies_to_invoice_id,
    ...transferOf(row),
    qboCreditMemoId: row.qbo_credit_memo_id,
    qboRealmId: row.qbo_realm_id,
    application: row.application,
    appliedAmount: row.applied_amount,
    qboPaymentId: row.qbo_payment_id,
    ...headerChargesOf(row),
    updatedAt: new Date(row.updated_at),
  };
}
