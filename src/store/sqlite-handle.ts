import type SQLite from 'better-sqlite3';
import { SqliteAdapter, SqliteDialect, type Kysely } from 'kysely';

/**
 * Kysely's SQLite dialect with the better-sqlite3 handle reachable from any Kysely instance or transaction
 * built on it (the adapter is shared by both). Why: Kysely prepares every statement anew and builds every
 * bound value as a node, which is fine for ordinary queries but not for an import's 400,000 rows; the bulk
 * writes (erp/bulk.ts) run cached, many-rows-per-statement prepared statements on the handle instead.
 */
class HandleAdapter extends SqliteAdapter {
  constructor(readonly handle: SQLite.Database) {
    super();
  }
}

export class SqliteHandleDialect extends SqliteDialect {
  constructor(private readonly handle: SQLite.Database) {
    super({ database: handle });
  }

  override createAdapter(): SqliteAdapter {
    return new HandleAdapter(this.handle);
  }
}

/** The handle behind a Kysely opened by `openDatabase` on SQLite; undefined for PostgreSQL. */
export function sqliteHandleOf(db: Kysely<never>): SQLite.Database | undefined {
  const adapter = db.getExecutor().adapter;
  return adapter instanceof HandleAdapter ? adapter.handle : undefined;
}

/** Prepared statements per handle: each bulk statement shape is prepared once per process. */
const statements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();
/** Bulk statement shapes are few (per table, a handful of row counts); the bound only guards against misuse. */
const maxCachedStatements = 200;

/**
 * The statement cached under `key` (which must identify its text), prepared from `text()` the first time.
 * A short key spares building and hashing a many-row statement's text on every call.
 */
export function cachedStatement(handle: SQLite.Database, key: string, text: () => string): SQLite.Statement {
  let cache = statements.get(handle);
  if (!cache) statements.set(handle, (cache = new Map<string, SQLite.Statement>()));
  let statement = cache.get(key);
  if (!statement) {
    if (cache.size >= maxCachedStatements) cache.clear();
    statement = handle.prepare(text());
    cache.set(key, statement);
  }
  return statement;
}
