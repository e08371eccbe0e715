import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * The ERP side: companies, the shared customer master, per-company products and sales invoices, users.
 * Money and quantities are decimal strings in TEXT columns (exact in both dialects); flags are 0/1.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const id = dialectOf(db).serialPrimaryKey;

  await db.schema
    .createTable('companies')
    .addColumn('id', sql``, (c) => c.modifyFront(id))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('qb_primary_company', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', sql``, (c) => c.modifyFront(id))
    .addColumn('customer_no', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('bill_line1', 'text')
    .addColumn('bill_line2', 'text')
    .addColumn('bill_city', 'text')
    .addColumn('bill_region', 'text')
    .addColumn('bill_postal_code', 'text')
    .addColumn('bill_country', 'text')
    .addColumn('financial_system_customer_id', 'text')
    .addColumn('secondary_customer_id', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('id', sql``, (c) => c.modifyFront(id))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('product_no', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('NonInventory'))
    .addColumn('unit_price', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('financial_system_product_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('products_company_product_no', ['company_id', 'product_no'])
    .execute();

  await db.schema
    .createTable('sales_invoices')
    .addColumn('id', sql``, (c) => c.modifyFront(id))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('invoice_no', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('invoice_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('customer_po', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('transferred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transferred_at', 'text')
    .addColumn('qbo_invoice_id', 'text')
    .addColumn('freight', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('handling', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('packaging', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('order_discount', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sales_invoices_company_invoice_no', ['company_id', 'invoice_no'])
    .execute();

  await db.schema
    .createTable('invoice_lines')
    .addColumn('id', sql``, (c) => c.modifyFront(id))
    .addColumn('invoice_id', 'integer', (c) => c.notNull().references('sales_invoices.id').onDelete('cascade'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'integer', (c) => c.references('products.id'))
    .addColumn('charge', 'text')
    .addColumn('qbo_item_name', 'text')
    .addColumn('qty', 'text', (c) => c.notNull())
    .addColumn('unit_price', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addUniqueConstraint('invoice_lines_invoice_line_no', ['invoice_id', 'line_no'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', sql``, (c) => c.modifyFront(id))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('current_company_id', 'integer', (c) => c.references('companies.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_companies')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_companies_pk', ['user_id', 'company_id'])
    .execute();

  // The export counts (seed: Product / Customer / Invoice Export Qty) read only these partial indexes.
  await sql`create index products_unexported on products (company_id) where financial_system_product_id is null`.execute(db);
  await sql`create index customers_no_fs_id on customers (id) where active = 1 and financial_system_customer_id is null`.execute(db);
  await sql`create index customers_no_secondary_id on customers (id) where active = 1 and secondary_customer_id is null`.execute(db);
  await sql`create index invoices_to_export on sales_invoices (company_id) where status = 'approved' and transferred = 0`.execute(db);
  // Lines are found by invoice through the unique (invoice_id, line_no) index; no second index to maintain.
  await sql`create index sales_invoices_transferred_at on sales_invoices (company_id, transferred_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['user_companies', 'users', 'invoice_lines', 'sales_invoices', 'products', 'customers', 'companies']) {
    await db.schema.dropTable(table).execute();
  }
}
