import { sql } from 'kysely';
import { nowIso, type Queryable } from './queryable.ts';
import type { Company, Customer } from './tables.ts';

/** Which customer column holds the QBO Customer Id for this company (seed: QuickBooks Primary Company flag). */
export type CustomerQboIdColumn = 'financial_system_customer_id' | 'secondary_customer_id';

export function customerQboIdColumn(company: Pick<Company, 'qb_primary_company'>): CustomerQboIdColumn {
  return company.qb_primary_company === 1 ? 'financial_system_customer_id' : 'secondary_customer_id';
}

/** The customer's QBO Id as seen by this company, or null when not yet matched or added. */
export function customerQboId(company: Pick<Company, 'qb_primary_company'>, customer: Customer): string | null {
  return customer[customerQboIdColumn(company)];
}

export interface PageOptions {
  /** Only rows with a greater id (keyset paging keeps memory bounded). */
  afterId?: number;
  limit?: number;
}

/**
 * Seed: customers qualifying for export are the active ones without a Financial System Customer ID when the
 * company is the QuickBooks Primary Company, otherwise without a Secondary Customer ID. Customers are shared.
 * The `active = 1` literal (not a bound parameter) lets SQLite use the partial index.
 */
export async function listCustomersToExport(db: Queryable, company: Pick<Company, 'qb_primary_company'>, page: PageOptions = {}): Promise<Customer[]> {
  const column = customerQboIdColumn(company);
  let query = db
    .selectFrom('customers')
    .selectAll()
    .where(sql<boolean>`active = 1`)
    .where(column, 'is', null)
    .orderBy('id');
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  if (page.limit !== undefined) query = query.limit(page.limit);
  return query.execute();
}

/** Writes the QBO Customer Id back into the column the company's primary flag selects. */
export async function setCustomerQboId(db: Queryable, company: Pick<Company, 'qb_primary_company'>, customerId: number, qboId: string): Promise<void> {
  const column = customerQboIdColumn(company);
  await db.updateTable('customers').set({ [column]: qboId, updated_at: nowIso() }).where('id', '=', customerId).execute();
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
