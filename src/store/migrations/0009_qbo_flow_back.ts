import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * QuickBooks back to the ERP (issue 14): each transferred invoice's state in QBO, the inbox of webhook
 * notifications (stored before they are answered, processed after), and the change-data-capture cursor of
 * each company and realm. Money as decimal TEXT, times as ISO UTC TEXT, as everywhere else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const id = dialectOf(db).serialPrimaryKey;

  await db.schema
    .createTable('qbo_invoice_states')
    .addColumn('sales_invoice_id', 'integer', (c) => c.primaryKey().references('sales_invoices.id').onDelete('cascade'))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('realm_id', 'text', (c) => c.notNull())
    .addColumn('qbo_invoice_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('balance', 'text', (c) => c.notNull())
    .addColumn('total', 'text', (c) => c.notNull())
    .addColumn('last_payment_date', 'text')
    .addColumn('qbo_updated_at', 'text', (c) => c.notNull())
    .addColumn('synced_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index qbo_invoice_states_company_status on qbo_invoice_states (company_id, status)`.execute(db);
  await sql`create index qbo_invoice_states_realm_invoice on qbo_invoice_states (realm_id, qbo_invoice_id)`.execute(db);
  // Notifications and CDC name invoices by their QBO id.
  await sql`create index sales_invoices_qbo_invoice_id on sales_invoices (company_id, qbo_invoice_id)`.execute(db);

  await db.schema
    .createTable('qbo_webhook_inbox')
    .addColumn('id', sql``, (c) => c.modifyFront(id))
    .addColumn('body_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();
  await sql`create index qbo_webhook_inbox_pending on qbo_webhook_inbox (id) where processed_at is null`.execute(db);

  await db.schema
    .createTable('qbo_sweep_cursors')
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('realm_id', 'text', (c) => c.notNull())
    .addColumn('changed_since', 'text')
    .addColumn('last_sweep_at', 'text')
    .addColumn('sweeps', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('qbo_sweep_cursors_pk', ['company_id', 'realm_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index sales_invoices_qbo_invoice_id`.execute(db);
  for (const table of ['qbo_sweep_cursors', 'qbo_webhook_inbox', 'qbo_invoice_states']) await db.schema.dropTable(table).execute();
}
