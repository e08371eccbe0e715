import { sql } from 'kysely';
import { toExportCustomer, type ExportCustomer } from './app-types.ts';
import { hasNoIdIn, setQboId, type Books } from './qbo-ids.ts';
import type { Queryable } from './queryable.ts';
import type { Customer } from './tables.ts';

export interface PageOptions {
  /** Only rows with a greater id (keyset paging keeps memory bounded). */
  afterId?: number;
  limit?: number;
}

/**
 * Seed: customers qualifying for export are the active ones without a QBO id for this company — kept in the
 * Financial System Customer ID for the QuickBooks Primary Company, else the Secondary Customer ID — which,
 * with ids kept per QuickBooks company (issue 12), is: without an id in the books the company is connected to.
 * Customers are shared. The `active = 1` literal (not a bound parameter) lets SQLite use the partial index.
 */
export async function listCustomersToExport(db: Queryable, books: Books, page: PageOptions = {}): Promise<ExportCustomer[]> {
  let query = db
    .selectFrom('customers as c')
    .selectAll()
    .where(sql<boolean>`active = 1`)
    .where(hasNoIdIn(books, 'customer', 'c'))
    .orderBy('id');
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  if (page.limit !== undefined) query = query.limit(page.limit);
  return (await query.execute()).map(toExportCustomer);
}

/** Writes the QBO Customer Id back: the id of the customer in these books. */
export async function setCustomerQboId(db: Queryable, books: Books, customerId: number, qboId: string): Promise<void> {
  await setQboId(db, books, 'customer', customerId, qboId);
}

export async function getCustomer(db: Queryable, id: number): Promise<Customer | undefined> {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCustomerByNo(db: Queryable, customerNo: string): Promise<Customer | undefined> {
  return db.selectFrom('customers').selectAll().where('customer_no', '=', customerNo).executeTakeFirst();
}

export async function listCustomers(db: Queryable, page: PageOptions = {}): Promise<Customer[]> {
  let query = db.selectFrom('customers').selectAll().orderBy('id');
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  if (page.limit !== undefined) query = query.limit(page.limit);
  return query.execute();
}
