import { sql } from 'kysely';
import { booksOf, hasNoIdIn, type Books } from './qbo-ids.ts';
import type { Queryable } from './queryable.ts';
import { countCreditMemosToExport } from '../credit-memos/repository.ts';

/** The three figures of the seed's Sales Invoice Export page, and the credit memos beside them (issue 16). */
export interface ExportCounts {
  productExportQty: number;
  customerExportQty: number;
  invoiceExportQty: number;
  creditMemoExportQty: number;
}

/**
 * Seed rules, with ids kept per QuickBooks company (issue 12) — "no id" means no id in the books the company is
 * connected to now (see qbo-ids.ts):
 * - Product Export Qty: the company's products without a Financial System Product ID;
 * - Customer Export Qty: active customers (shared by all companies) without a Financial System Customer ID when
 *   the company is the QuickBooks Primary Company, otherwise without a Secondary Customer ID — both being the
 *   customer's id in the company's books;
 * - Invoice Export Qty: the company's approved invoices not yet transferred;
 * - Credit Memo Export Qty: the same rule for the company's credit memos (issue 16).
 * Flags and status are SQL literals: SQLite only uses a partial index whose condition appears literally.
 */
export async function exportCounts(db: Queryable, companyId: number): Promise<ExportCounts> {
  const company = await db.selectFrom('companies').select(['id', 'qb_primary_company', 'qbo_realm_id']).where('id', '=', companyId).executeTakeFirst();
  if (!company) throw new Error(`No company with id ${companyId}`);
  const books = booksOf(company);
  const [productExportQty, customerExportQty, invoiceExportQty, creditMemoExportQty] = await Promise.all([
    countProductsToExport(db, companyId, books),
    countCustomersToExport(db, books),
    countInvoicesToExport(db, companyId),
    countCreditMemosToExport(db, companyId),
  ]);
  return { productExportQty, customerExportQty, invoiceExportQty, creditMemoExportQty };
}

export async function countProductsToExport(db: Queryable, companyId: number, books: Books): Promise<number> {
  const row = await db
    .selectFrom('products as p')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('company_id', '=', companyId)
    .where(hasNoIdIn(books, 'product', 'p'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countCustomersToExport(db: Queryable, books: Books): Promise<number> {
  const row = await db
    .selectFrom('customers as c')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(sql<boolean>`active = 1`)
    .where(hasNoIdIn(books, 'customer', 'c'))
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
