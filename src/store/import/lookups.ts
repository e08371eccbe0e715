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
