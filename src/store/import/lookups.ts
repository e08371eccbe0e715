import type { Transaction } from 'kysely';
import type { Database } from '../schema.ts';

/** Batched look-ups of natural keys already in the database (one `IN` query per few hundred keys). */
const inListSize = 500;

function chunked<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += inListSize) out.push(values.slice(i, i + inListSize));
  return out;
}

export async function lookupCompanies(trx: Transaction<Database>, codes: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const chunk of chunked(codes)) {
    const rows = await trx.selectFrom('companies').select(['id', 'code']).where('code', 'in', chunk).execute();
    for (const row of rows) found.set(row.code, row.id);
  }
  return found;
}

export async function lookupCustomers(trx: Transaction<Database>, customerNos: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const chunk of chunked(customerNos)) {
    const rows = await trx.selectFrom('customers').select(['id', 'customer_no']).where('customer_no', 'in', chunk).execute();
    for (const row of rows) found.set(row.customer_no, row.id);
  }
  return found;
}

export async function lookupProducts(trx: Transaction<Database>, companyId: number, productNos: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const chunk of chunked(productNos)) {
    const rows = await trx
      .selectFrom('products')
      .select(['id', 'product_no'])
      .where('company_id', '=', companyId)
      .where('product_no', 'in', chunk)
      .execute();
    for (const row of rows) found.set(row.product_no, row.id);
  }
  return found;
}

export interface ExistingInvoice {
  id: number;
  invoice_no: string;
  transferred: number;
  qbo_invoice_id: string | null;
}

export async function lookupInvoices(trx: Transaction<Database>, companyId: number, invoiceNos: readonly string[]): Promise<Map<string, ExistingInvoice>> {
  const found = new Map<string, ExistingInvoice>();
  for (const chunk of chunked(invoiceNos)) {
    const rows = await trx
      .selectFrom('sales_invoices')
      .select(['id', 'invoice_no', 'transferred', 'qbo_invoice_id'])
      .where('company_id', '=', companyId)
      .where('invoice_no', 'in', chunk)
      .execute();
    for (const row of rows) found.set(row.invoice_no, row);
  }
  return found;
}

export interface ExistingCreditMemo {
  id: number;
  memo_no: string;
  transferred: number;
  qbo_credit_memo_id: string | null;
}

export async function lookupCreditMemos(trx: Transaction<Database>, companyId: number, memoNos: readonly string[]): Promise<Map<string, ExistingCreditMemo>> {
  const found = new Map<string, ExistingCreditMemo>();
  for (const chunk of chunked(memoNos)) {
    const rows = await trx
      .selectFrom('credit_memos')
      .select(['id', 'memo_no', 'transferred', 'qbo_credit_memo_id'])
      .where('company_id', '=', companyId)
      .where('memo_no', 'in', chunk)
      .execute();
    for (const row of rows) found.set(row.memo_no, row);
  }
  return found;
}

/** Invoices a credit memo may credit, with their customer (a memo must credit an invoice of its own customer). */
export async function lookupInvoiceCustomers(
  trx: Transaction<Database>,
  companyId: number,
  invoiceNos: readonly string[],
): Promise<Map<string, { id: number; customer_id: number; customer_no: string }>> {
  const found = new Map<string, { id: number; customer_id: number; customer_no: string }>();
  for (const chunk of chunked([...new Set(invoiceNos)])) {
    const rows = await trx
      .selectFrom('sales_invoices as i')
      .innerJoin('customers as c', 'c.id', 'i.customer_id')
      .select(['i.id', 'i.invoice_no', 'i.customer_id', 'c.customer_no'])
      .where('i.company_id', '=', companyId)
      .where('i.invoice_no', 'in', chunk)
      .execute();
    for (const row of rows) found.set(row.invoice_no, { id: row.id, customer_id: row.customer_id, customer_no: row.customer_no });
  }
  return found;
}
