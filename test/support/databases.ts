import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import type { DialectName } from '../../src/store/dialect.ts';

/** Admin connection for creating throw-away databases; override with TEST_POSTGRES_URL. */
const postgresAdminUrl = process.env.TEST_POSTGRES_URL ?? `postgres://${userInfo().username}@127.0.0.1:5432/test`;

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
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'qbo-export-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const db = openDatabase(url);
    await migrateToLatest(db);
    return {
      db, url, dialect,
      async destroy() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `qbo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const adminUrl = new URL(postgresAdminUrl);
  adminUrl.pathname = `/${name}`;
  const url = adminUrl.toString();
  const db = openDatabase(url);
  await migrateToLatest(db);
  return {
    db, url, dialect,
    async destroy() {
      await db.close();
      const c = new pg.Client({ connectionString: postgresAdminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface DialectContext {
  /** The suite's database; valid inside tests (created in `before`). */
  readonly db: () => Db;
  readonly url: () => string;
  readonly dialect: DialectName;
}

/** Runs the same suite once per dialect, each on its own fresh database (STYLE.md rule 15). */
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
