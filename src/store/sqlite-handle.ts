import type SQLite from 'better-sqlite3';

/**
 * Cached prepared statements on the better-sqlite3 handle (carried by `Db`, store/db.ts). Why: Kysely prepares
 * every statement anew and builds every bound value as a node, which is fine for ordinary queries but not for an
 * import's 400,000 rows; the bulk writes (erp/bulk.ts) run cached, many-rows-per-statement prepared statements
 * on the handle instead.
 */

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
