import { after, before, describe } from 'node:test';
import pg from 'pg';
import type { Db } from '../../src/store/db.ts';
import { postgresAdminUrl, scratchPostgres, scratchSqlite } from './scratch-databases.ts';
import type { DialectName } from '../../src/store/dialect.ts';

async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const postgresProblem = await postgresReachable();
if (postgresProblem) {
  if (process.env.CI) throw new Error(`PostgreSQL is required in CI but unreachable at ${postgresAdminUrl}: ${postgresProblem}`);
  console.log(`# skipping PostgreSQL tests: ${postgresAdminUrl} unreachable (${postgresProblem})`);
}

/** The dialects every store-touching suite runs on: both in CI, SQLite alone where PostgreSQL is absent. */
export const dialects: readonly DialectName[] = postgresProblem ? ['sqlite'] : ['sqlite', 'postgres'];

export interface TestDatabase {
  readonly db: Db;
  readonly url: string;
  readonly dialect: DialectName;
  /** Closes the connection and deletes the database. */
  destroy(): Promise<void>;
}

/** A fresh, migrated, empty database of the dialect: a temp SQLite file or a new PostgreSQL database. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const scratch = dialect === 'sqlite' ? await scratchSqlite('test') : await scratchPostgres('test');
  return { ...scratch, dialect };
}

export interface DialectContext {
  /** The suite's database; valid inside tests (created in `before`). */
  readonly db: () => Db;
  readonly url: () => string;
  readonly dialect: DialectName;
}

/** Runs the same suite once per dialect, each on its own fresh database (docs/design.md rule 15). */
export function describeEachDialect(name: string, body: (ctx: DialectContext) => void): void {
  for (const dialect of dialects) {
    void describe(`${name} [${dialect}]`, () => {
      let testDb: TestDatabase | undefined;
      before(async () => {
        testDb = await createTestDatabase(dialect);
      });
      after(async () => {
        await testDb?.destroy();
      });
      const must = (): TestDatabase => {
        if (!testDb) throw new Error('test database not ready');
        return testDb;
      };
      body({ db: () => must().db, url: () => must().url, dialect });
    });
  }
}
