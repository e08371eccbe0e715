import type { Kysely } from 'kysely';

/**
 * Issue 12, points 3 and 4. `version` makes every save of a connection a compare-and-set, so a refresh that
 * started before a reconnect (or a disconnect) can never write its older tokens over the newer connection.
 * `qbo_company_name` is QuickBooks' CompanyInfo.CompanyName of the connected realm; `previous_*` name the books the
 * company exported to before a reconnect to other books, until the next run's Process Log has said so
 * (`books_change_noted`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('qbo_connections').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('qbo_connections').addColumn('qbo_company_name', 'text').execute();
  await db.schema.alterTable('qbo_connections').addColumn('previous_realm_id', 'text').execute();
  await db.schema.alterTable('qbo_connections').addColumn('previous_company_name', 'text').execute();
  await db.schema.alterTable('qbo_connections').addColumn('books_change_noted', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['books_change_noted', 'previous_company_name', 'previous_realm_id', 'qbo_company_name', 'version']) {
    await db.schema.alterTable('qbo_connections').dropColumn(column).execute();
  }
}
