import { nowIso, type Queryable } from './queryable.ts';
import type { PageOptions } from './customers.ts';
import type { Product } from './tables.ts';

/** Seed: products qualifying for export are the company's products without a Financial System Product ID. */
export async function listProductsToExport(db: Queryable, companyId: number, page: PageOptions = {}): Promise<Product[]> {
  let query = db
    .selectFrom('products')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('financial_system_product_id', 'is', null)
    .orderBy('id');
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  if (page.limit !== undefined) query = query.limit(page.limit);
  return query.execute();
}

export async function setProductQboId(db: Queryable, productId: number, qboId: string): Promise<void> {
  await db
    .updateTable('products')
    .set({ financial_system_product_id: qboId, updated_at: nowIso() })
    .where('id', '=', productId)
    .execute();
}

export async function getProduct(db: Queryable, id: number): Promise<Product | undefined> {
  return db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findProductByNo(db: Queryable, companyId: number, productNo: string): Promise<Product | undefined> {
  return db
    .selectFrom('products')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('product_no', '=', productNo)
    .executeTakeFirst();
}

export async function listProducts(db: Queryable, companyId: number, page: PageOptions = {}): Promise<Product[]> {
  let query = db.selectFrom('products').selectAll().where('company_id', '=', companyId).orderBy('id');
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  if (page.limit !== undefined) query = query.limit(page.limit);
  return query.execute();
}
