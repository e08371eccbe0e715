import type { Kysely } from 'kysely';

/**
 * Issue 11: the sign-in throttle's counters (one row per account or client address, shared by every instance),
 * the OAuth state a web session started (the callback completes only in that session), and the master-data
 * permission of users and API tokens (customers are organisation-wide).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('web_sessions').addColumn('oauth_state_hash', 'text').execute();
  await db.schema.alterTable('users').addColumn('master_data', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('api_tokens').addColumn('master_data', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('master_data').execute();
  await db.schema.alterTable('users').dropColumn('master_data').execute();
  await db.schema.alterTable('web_sessions').dropColumn('oauth_state_hash').execute();
  await db.schema.dropTable('sign_in_attempts').execute();
}
