import { sql } from 'kysely';
import { customerQboIdColumn } from './customers.ts';
import type { Queryable } from './queryable.ts';
import type { Company } from './tables.ts';
import { countCreditMemosToExport } from '../credit-memos/repository.ts';

/** The three figures of the seed's Sales Invoice Export page, and the credit memos beside them (issue 16). */
export interface ExportCounts {
  productExportQty: number;
  customerExportQty: number;
  invoiceExportQty: number;
  creditMemoExportQty: number;
}

/**
 * Seed rules, each answered from a partial index (migration 0001) so it stays fast on millions of rows:
 * - Product Export Qty: the company's products without a Financial System Product ID;
 * - Customer Export Qty: active customers (shared by all companies) without a Financial System Customer ID when
 *   the company is the QuickBooks Primary Company, otherwise without a Secondary Customer ID;
 * - Invoice Export Qty: the company's approved invoices not yet transferred;
 * - Credit Memo Export Qty: the same rule for the company's credit memos.
 * Flags and status are SQL literals: SQLite only uses a partial index whose condition appears literally.
 */
export async function exportCounts(db: Queryable, companyId: number): Promise<ExportCounts> {
  const company = await db.selectFrom('companies').select(['id', 'qb_primary_company']).where('id', '=', companyId).executeTakeFirst();
  if (!company) throw new Error(`No company with id ${companyId}`);
  const [productExportQty, customerExportQty, invoiceExportQty, creditMemoExportQty] = await Promise.all([
    countProductsToExport(db, companyId),
    countCustomersToExport(db, company),
    countInvoicesToExport(db, companyId),
    countCreditMemosToExport(db, companyId),
  ]);
  return { productExportQty, customerExportQty, invoiceExportQty, creditMemoExportQty };
}

export async function countProductsToExport(db: Queryable, companyId: number): Promise<number> {
  const row = await db
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('company_id', '=', companyId)
    .where('financial_system_product_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countCustomersToExport(db: Queryable, company: Pick<Company, 'qb_primary_company'>): Promise<number> {
  const row = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(sql<boolean>`active = 1`)
    .where(customerQboIdColumn(company), 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countInvoicesToExport(db: Queryable, companyId: number): Promise<number> {
  const row = await db
    .selectFrom('sales_invoices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('company_id', '=', companyId)
    .where(sql<boolean>`status = 'approved' and transferred = 0`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
