import type { DecimalString, InvoiceStatus, IsoDate } from '../erp/tables.ts';
import type { CreditApplication, CreditMemo } from './tables.ts';

/** A credit memo as the exporter reads it: as the ERP records of erp/app-types.ts (camelCase, booleans, Dates). */
export interface ExportCreditMemo {
  id: number;
  companyId: number;
  memoNo: string;
  customerId: number;
  memoDate: IsoDate;
  status: InvoiceStatus;
  /** The sales invoice this memo credits (same company and customer), or null. */
  appliesToInvoiceId: number | null;
  transferred: boolean;
  transferredAt: Date | null;
  qboCreditMemoId: string | null;
  /** The books `qboCreditMemoId` belongs to, set when the memo is transferred. */
  qboRealmId: string | null;
  application: CreditApplication;
  /** What the QBO Payment applied, once applied. */
  appliedAmount: DecimalString | null;
  qboPaymentId: string | null;
  freight: DecimalString;
  handling: DecimalString;
  packaging: DecimalString;
  orderDiscount: DecimalString;
  /** The tax the ERP computed; null = none given. */
  taxAmount: DecimalString | null;
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
    transferred: row.transferred === 1,
    transferredAt: row.transferred_at === null ? null : new Date(row.transferred_at),
    qboCreditMemoId: row.qbo_credit_memo_id,
    qboRealmId: row.qbo_realm_id,
    application: row.application,
    appliedAmount: row.applied_amount,
    qboPaymentId: row.qbo_payment_id,
    freight: row.freight,
    handling: row.handling,
    packaging: row.packaging,
    orderDiscount: row.order_discount,
    taxAmount: row.tax_amount,
    updatedAt: new Date(row.updated_at),
  };
}
