import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.ts';
import type { DialectName } from './dialect.ts';
import { SqliteHandleDialect } from './sqlite-handle.ts';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  close(): Promise<void>;
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
    const kysely = new Kysely<Database>({ dialect: new SqliteHandleDialect(sqlite) });
    return { kysely, dialect: 'sqlite', close: () => kysely.destroy() };
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
  return { kysely, dialect: 'postgres', close: () => kysely.destroy() };
}
