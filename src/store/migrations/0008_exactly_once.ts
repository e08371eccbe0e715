import type { Kysely } from 'kysely';

/**
 * Issue 13, exactly once against a QuickBooks that forgives nothing:
 * - `locks.generation`: a fencing number, raised by every acquisition and checked in each commit's transaction;
 * - `export_intents.sent_at` (last send of the write, for the in-doubt window) and `batch_item_id` (the `bId`
 *   QBO saw when the write went in a batch: `request_id` is then the batch's id);
 * - `export_runs.*_in_doubt`: writes whose outcome was still unknown when the run ended;
 * - `export_runs.process_scope`: which kernel and process namespace the run's pid belongs to, so that only a
 *   run proven dead (same kernel boot, same pid namespace, pid gone) frees its lease early.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('locks').addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('export_intents').addColumn('sent_at', 'text').execute();
  await db.schema.alterTable('export_intents').addColumn('batch_item_id', 'text').execute();
  for (const column of ['customers_in_doubt', 'products_in_doubt', 'invoices_in_doubt']) {
    await db.schema.alterTable('export_runs').addColumn(column, 'integer', (c) => c.notNull().defaultTo(0)).execute();
  }
  await db.schema.alterTable('export_runs').addColumn('process_scope', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('export_runs').dropColumn('process_scope').execute();
  for (const column of ['customers_in_doubt', 'products_in_doubt', 'invoices_in_doubt']) {
    await db.schema.alterTable('export_runs').dropColumn(column).execute();
  }
  await db.schema.alterTable('export_intents').dropColumn('batch_item_id').execute();
  await db.schema.alterTable('export_intents').dropColumn('sent_at').execute();
  await db.schema.alterTable('locks').dropColumn('generation').execute();
}
