import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

/** The Process Log (export runs and their per-record messages) and the exactly-once intent ledger. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const id = dialectOf(db).serialPrimaryKey;

  let runs = db.schema
    .createTable('export_runs')
    .addColumn('id', sql``, (c) => c.modifyFront(id))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('host', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('pid', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text');
  for (const counter of [
    'customers_matched', 'customers_added', 'customers_failed',
    'products_matched', 'products_added', 'products_failed',
    'invoices_created', 'invoices_already_in_qbo', 'invoices_failed',
  ]) {
    runs = runs.addColumn(counter, 'integer', (c) => c.notNull().defaultTo(0));
  }
  await runs.addColumn('error', 'text').execute();
  await sql`create index export_runs_company_started on export_runs (company_id, id)`.execute(db);

  await db.schema
    .createTable('run_messages')
    .addColumn('id', sql``, (c) => c.modifyFront(id))
    .addColumn('run_id', 'integer', (c) => c.notNull().references('export_runs.id').onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('record_kind', 'text', (c) => c.notNull())
    .addColumn('record_key', 'text')
    .addColumn('qbo_code', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index run_messages_run on run_messages (run_id, id)`.execute(db);

  await db.schema
    .createTable('export_intents')
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('record_id', 'integer', (c) => c.notNull())
    .addColumn('lookup_key', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('qbo_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('export_intents_pk', ['company_id', 'kind', 'record_id'])
    .execute();
  await sql`create index export_intents_pending on export_intents (company_id, kind) where state = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['export_intents', 'run_messages', 'export_runs']) {
    await db.schema.dropTable(table).execute();
  }
}
