import type { Kysely } from 'kysely';

/** QuickBooks connections (encrypted tokens, expiries) and pending OAuth states. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('qbo_connections')
    .addColumn('company_id', 'integer', (c) => c.primaryKey().references('companies.id').onDelete('cascade'))
    .addColumn('realm_id', 'text', (c) => c.notNull())
    .addColumn('access_token_enc', 'text', (c) => c.notNull())
    .addColumn('refresh_token_enc', 'text', (c) => c.notNull())
    .addColumn('access_token_expires_at', 'text', (c) => c.notNull())
    .addColumn('refresh_token_expires_at', 'text', (c) => c.notNull())
    .addColumn('hard_expires_at', 'text')
    .addColumn('connected_at', 'text', (c) => c.notNull())
    .addColumn('last_refresh_at', 'text')
    .addColumn('needs_reconnect', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reconnect_reason', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('oauth_states')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('user_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('oauth_states_expires_at').on('oauth_states').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oauth_states').execute();
  await db.schema.dropTable('qbo_connections').execute();
}
