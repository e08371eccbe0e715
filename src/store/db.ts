import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { DialectName } from './dialect.ts';

/**
 * The database as the store's code sees it: Kysely for every query (repositories take `Kysely<Database>`, of which
 * a transaction is one), with what the SQLite bulk path (erp/bulk.ts) needs besides: the dialect and the
 * better-sqlite3 handle. The handle is carried here, not dug out of Kysely's internals, so that a Kysely upgrade
 * cannot break it.
 */
export interface DbHandle {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** The better-sqlite3 handle under `kysely` on SQLite; null on PostgreSQL. */
  readonly sqlite: SQLite.Database | null;
}

/** The same inside a transaction: bulk writes that must be all-or-nothing take this. */
export interface TxHandle extends DbHandle {
  readonly kysely: Transaction<Database>;
}

/** An open database; `close` when done. */
export interface Db extends DbHandle {
  close(): Promise<void>;
}

/** `db` with its queries on the open transaction `trx` (on SQLite the handle is the same one connection). */
export function inTransaction(db: DbHandle, trx: Transaction<Database>): TxHandle {
  return { kysely: trx, dialect: db.dialect, sqlite: db.sqlite };
}

// COUNT(*) and other int8 values arrive as strings from pg; they are row counts, safe as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

/** Opens `sqlite:PATH` (file or `:memory:`) or `postgres://…` as a Kysely instance of our schema. */
export function openDatabase(url: string): Db {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    const sqlite = new SQLite(path);
    // WAL lets the web app read while an export writes; a busy timeout lets two processes share the file.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 10000');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { kysely, dialect: 'sqlite', sqlite, close: () => kysely.destroy() };
  }
  // Like psql, default the role to the OS user when the URL names none (CI has no USER variable).
  const parsed = new URL(url);
  if (!parsed.username) parsed.username = encodeURIComponent(process.env.PGUSER ?? userInfo().username);
  const pool = new pg.Pool({ connectionString: parsed.toString(), max: 10 });
  // An idle pooled connection closed by the server (restart, `drop database … with (force)`) is emitted as an
  // 'error' on the pool; without a listener that crashes the process. The pool has already discarded the
  // client and the next query opens a new one, so there is nothing else to do.
  pool.on('error', () => undefined);
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', sqlite: null, close: () => kysely.destroy() };
}
