import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './db.ts';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Every file in `migrations/` is one migration, applied in name order (`0001_…`, `0002_…`).
 * Each feature adds its own file; no shared index to edit.
 */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = readdirSync(migrationsDir)
      // .ts from the sources, .js from the compiled build (dist/).
      .filter((f) => /^\d{4}_[^.]+\.[jt]s$/.test(f))
      .sort();
    const entries = await Promise.all(
      files.map(async (file) => [file.replace(/\.[jt]s$/, ''), (await import(`./migrations/${file}`)) as Migration] as const),
    );
    return Object.fromEntries(entries);
  }
}

function migrator(db: Db): Migrator {
  return new Migrator({
    db: db.kysely,
    provider: new FolderMigrationProvider(),
    // Features add migrations in parallel branches; a database that ran a later-numbered one first must still take the rest.
    allowUnorderedMigrations: true,
  });
}

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return checked(await migrator(db).migrateToLatest());
}

/** Applies only the migrations named before `name` (a migration's test builds the data it upgrades). */
export async function migrateBefore(db: Db, name: string): Promise<string[]> {
  const earlier = (await migrator(db).getMigrations()).map((m) => m.name).filter((n) => n < name);
  const last = earlier[earlier.length - 1];
  if (last === undefined) return [];
  return checked(await migrator(db).migrateTo(last));
}

function checked({ error, results }: MigrationResultSet): string[] {
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of the migrations not yet applied to this database (empty when the schema is current). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: new FolderMigrationProvider(), allowUnorderedMigrations: true });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
