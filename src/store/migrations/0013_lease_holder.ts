import type { Kysely } from 'kysely';

/**
 * A lease names the process that holds it (pid, and the kernel boot and pid namespace the pid belongs to), so
 * that a holder killed between taking the lease and writing its run's row can still be proven dead: before,
 * only the run row carried the pid, and such a lease blocked every export of the company for its whole TTL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('locks').addColumn('holder_pid', 'integer').execute();
  await db.schema.alterTable('locks').addColumn('holder_scope', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('locks').dropColumn('holder_scope').execute();
  await db.schema.alterTable('locks').dropColumn('holder_pid').execute();
}
