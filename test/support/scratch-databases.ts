import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

/** A throw-away, migrated database (a test suite, a bench or soak scenario); `destroy` removes it. */
export interface ScratchDatabase {
  readonly db: Db;
  readonly url: string;
  destroy(): Promise<void>;
}

/** Admin connection used to create scratch PostgreSQL databases; override with TEST_POSTGRES_URL. */
export const postgresAdminUrl = process.env.TEST_POSTGRES_URL ?? `postgres://${userInfo().username}@127.0.0.1:5432/test`;

/** Opens and (unless told not to: a migration's own test) migrates `url`; `destroy` closes it, then runs `remove`. */
async function migrated(url: string, remove: () => Promise<unknown>, migrate = true): Promise<ScratchDatabase> {
  const db = openDatabase(url);
  if (migrate) await migrateToLatest(db);
  return {
    db,
    url,
    async destroy() {
      await db.close();
      await remove();
    },
  };
}

export async function scratchSqlite(label: string, migrate = true): Promise<ScratchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), `qbo-export-${label}-`));
  return migrated(`sqlite:${join(dir, 'erp.db')}`, async () => rmSync(dir, { recursive: true, force: true }), migrate);
}

async function admin<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

export async function scratchPostgres(label: string, migrate = true): Promise<ScratchDatabase> {
  const name = `qbo_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return migrated(url.toString(), () => admin((c) => c.query(`drop database if exists ${name} with (force)`)), migrate);
}
