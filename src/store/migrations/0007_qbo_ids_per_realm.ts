import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * QuickBooks ids per QuickBooks company (realm), issue 12. A QBO id means something only in the books it came
 * from, so customer and product ids move from their ERP columns into `qbo_ids` keyed by the books (a realm id,
 * or `company:<id>` for a company never connected yet); invoices remember the realm they were transferred to;
 * a company remembers the realm it is connected to now (`qbo_realm_id`, kept after a disconnect); the
 * exactly-once ledger is keyed by company AND realm.
 *
 * Existing ids go to the books of the companies whose field they were in: Financial System Customer ID to the
 * books of the QuickBooks Primary Company(ies), Secondary Customer ID to those of the other companies — or,
 * where the ledger shows which company wrote the id, only to that company's books.
 */
const booksOf = (alias: string) => sql.raw(`coalesce(${alias}.qbo_realm_id, 'company:' || ${alias}.id)`);

export async function up(db: Kysely<unknown>): Promise<void> {
  const now = new Date().toISOString();
  await db.schema.alterTable('companies').addColumn('qbo_realm_id', 'text').execute();
  await sql`update companies set qbo_realm_id = (select realm_id from qbo_connections c where c.company_id = companies.id)`.execute(db);

  await db.schema
    .createTable('qbo_ids')
    .addColumn('realm_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('record_id', 'integer', (c) => c.notNull())
    .addColumn('qbo_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('qbo_ids_pk', ['realm_id', 'kind', 'record_id'])
    .execute();
  // A record's ids in every books (pages, the API, the seed's two fields).
  await sql`create index qbo_ids_record on qbo_ids (kind, record_id)`.execute(db);

  for (const [column, primary] of [['financial_system_customer_id', 1], ['secondary_customer_id', 0]] as const) {
    const value = sql.ref(`c.${column}`);
    const writtenBy = (extra: ReturnType<typeof sql>) => sql`select 1 from export_intents i join companies w on w.id = i.company_id
      where i.kind = 'customer' and i.state = 'done' and i.record_id = c.id and i.qbo_id = ${value}
      and w.qb_primary_company = ${primary} ${extra}`;
    await sql`insert into qbo_ids (realm_id, kind, record_id, qbo_id, updated_at)
      select b.books, 'customer', c.id, ${value}, ${now}
      from customers c cross join (select distinct ${booksOf('co')} as books from companies co where co.qb_primary_company = ${primary}) b
      where ${value} is not null
      and (not exists (${writtenBy(sql``)}) or exists (${writtenBy(sql`and ${booksOf('w')} = b.books`)}))
      on conflict do nothing`.execute(db);
  }
  await sql`insert into qbo_ids (realm_id, kind, record_id, qbo_id, updated_at)
    select ${booksOf('co')}, 'product', p.id, p.financial_system_product_id, ${now}
    from products p join companies co on co.id = p.company_id
    where p.financial_system_product_id is not null
    on conflict do nothing`.execute(db);

  await db.schema.alterTable('sales_invoices').addColumn('qbo_realm_id', 'text').execute();
  await sql`update sales_invoices set qbo_realm_id = (select ${booksOf('co')} from companies co where co.id = sales_invoices.company_id)
    where transferred = 1 or qbo_invoice_id is not null`.execute(db);

  await sql`drop index customers_no_fs_id`.execute(db);
  await sql`drop index customers_no_secondary_id`.execute(db);
  await sql`drop index products_unexported`.execute(db);
  for (const column of ['financial_system_customer_id', 'secondary_customer_id']) {
    await db.schema.alterTable('customers').dropColumn(column).execute();
  }
  await db.schema.alterTable('products').dropColumn('financial_system_product_id').execute();
  // Customer Export Qty: the active customers, less those with an id in the company's books.
  await sql`create index customers_active on customers (id) where active = 1`.execute(db);

  await db.schema.alterTable('export_intents').addColumn('realm_id', 'text', (c) => c.notNull().defaultTo('')).execute();
  await sql`update export_intents set realm_id = (select ${booksOf('co')} from companies co where co.id = export_intents.company_id)`.execute(db);
  await replaceIntentsKey(db, ['company_id', 'realm_id', 'kind', 'record_id']);
}

/**
 * Changes the ledger's primary key. PostgreSQL alters the constraint; SQLite cannot, so the table is rebuilt
 * from its own stored definition (keeping any column a later migration of another feature may have added).
 */
async function replaceIntentsKey(db: Kysely<unknown>, columns: readonly string[]): Promise<void> {
  const key = columns.map((c) => `"${c}"`).join(', ');
  if (dialectOf(db).name === 'postgres') {
    await sql.raw(`alter table export_intents drop constraint export_intents_pk, add constraint export_intents_pk primary key (${key})`).execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'export_intents'`.execute(db);
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'export_intents' and sql is not null`.execute(db);
  const definition = table.rows[0]?.sql ?? '';
  const rebuilt = definition
    .replace(/constraint "export_intents_pk" primary key \([^)]*\)/i, `constraint "export_intents_pk" primary key (${key})`)
    .replace(/^create table "?export_intents"?/i, 'create table "export_intents_rebuilt"');
  if (rebuilt === definition || !rebuilt.includes(key)) throw new Error(`cannot rebuild export_intents from: ${definition}`);
  await sql.raw(rebuilt).execute(db);
  await sql`insert into export_intents_rebuilt select * from export_intents`.execute(db);
  await sql`drop table export_intents`.execute(db);
  await sql`alter table export_intents_rebuilt rename to export_intents`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0007_qbo_ids_per_realm cannot be undone: ids of several QuickBooks companies do not fit the two old columns');
}
