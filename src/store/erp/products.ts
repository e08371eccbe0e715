import { toExportProduct, type ExportProduct } from './app-types.ts';
import { hasNoIdIn, setQboId, type Books } from './qbo-ids.ts';
import type { Queryable } from './queryable.ts';
import type { PageOptions } from './customers.ts';
import type { Product } from './tables.ts';

/**
 * Seed: products qualifying for export are the company's products without a Financial System Product ID, i.e.
 * (issue 12) without an id in the books the company is connected to.
 */
export async function listProductsToExport(db: Queryable, companyId: number, books: Books, page: PageOptions = {}): Promise<ExportProduct[]> {
  let query = db
    .selectFrom('products as p')
    .selectAll()
    .where('company_id', '=', companyId)
    .where(hasNoIdIn(books, 'product', 'p'))
    .orderBy('id');
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  if (page.limit !== undefined) query = query.limit(page.limit);
  return (await query.execute()).map(toExportProduct);
}

/** Writes the QBO Item Id back: the product's Financial System Product ID in these books. */
export async function setProductQboId(db: Queryable, books: Books, productId: number, qboId: string): Promise<void> {
  await setQboId(db, books, 'product', productId, qboId);
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
