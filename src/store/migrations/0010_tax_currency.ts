import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * Sales tax and currencies (issue 15): the ERP's own tax, exchange rate and ship-to address on invoices, a tax flag
 * or code per line, a currency per customer, and the home-currency total QuickBooks booked. An invoice's
 * `currency` becomes optional: empty means the QuickBooks company's home currency (read at export). It was
 * `USD` by default and never sent, so stored `USD` values become empty (exported as before: in the home currency).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const invoiceColumns: Array<[string, 'text']> = [
    ['tax_amount', 'text'], ['exchange_rate', 'text'], ['ship_line1', 'text'], ['ship_line2', 'text'], ['ship_city', 'text'],
    ['ship_region', 'text'], ['ship_postal_code', 'text'], ['ship_country', 'text'], ['qbo_home_total', 'text'], ['qbo_total_tax', 'text'],
  ];
  for (const [name, type] of invoiceColumns) await db.schema.alterTable('sales_invoices').addColumn(name, type).execute();
  await db.schema.alterTable('invoice_lines').addColumn('taxable', 'integer').execute();
  await db.schema.alterTable('invoice_lines').addColumn('tax_code', 'text').execute();
  await db.schema.alterTable('customers').addColumn('currency', 'text').execute();

  if (dialectOf(db).name === 'postgres') {
    await sql`alter table sales_invoices alter column currency drop not null, alter column currency drop default`.execute(db);
    await sql`update sales_invoices set currency = null where currency = 'USD'`.execute(db);
    return;
  }
  // SQLite cannot change a column's constraints: a new column takes the values, the old one goes.
  await sql`alter table sales_invoices add column currency_code text`.execute(db);
  await sql`update sales_invoices set currency_code = case when currency = 'USD' then null else currency end`.execute(db);
  await sql`alter table sales_invoices drop column currency`.execute(db);
  await sql`alter table sales_invoices rename column currency_code to currency`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['tax_amount', 'exchange_rate', 'ship_line1', 'ship_line2', 'ship_city', 'ship_region', 'ship_postal_code', 'ship_country', 'qbo_home_total', 'qbo_total_tax']) {
    await db.schema.alterTable('sales_invoices').dropColumn(name).execute();
  }
  await db.schema.alterTable('invoice_lines').dropColumn('taxable').execute();
  await db.schema.alterTable('invoice_lines').dropColumn('tax_code').execute();
  await db.schema.alterTable('customers').dropColumn('currency').execute();
  await sql`update sales_invoices set currency = 'USD' where currency is null`.execute(db);
}
