import { sql, type Kysely, type RawBuilder } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/**
 * The few places where SQLite and PostgreSQL differ, declared once (docs/design.md rule 5).
 * Everything else — money as decimal TEXT, dates and timestamps as ISO TEXT, flags as 0/1 INTEGER —
 * is stored the same way in both, so repositories never branch on the dialect.
 */
export interface DialectAdapter {
  readonly name: DialectName;
  /** Column type of an auto-numbered integer primary key. */
  readonly serialPrimaryKey: RawBuilder<unknown>;
  /**
   * The database's own clock plus `ms`, as ISO text like `Date#toISOString` (`2026-11-29T23:50:12.345Z`):
   * leases are timed by the one clock every process shares, not by each host's (issue 13).
   */
  isoNowPlus(ms: number): RawBuilder<string>;
}

/**
 * For migrations, which get only a Kysely instance: the dialect is read from how it compiles a bound value
 * (PostgreSQL `$1`, SQLite `?`), a public API, not from Kysely's internal executor. Code with a `Db` reads
 * `db.dialect` instead.
 */
export function dialectOf(db: Kysely<unknown>): DialectAdapter {
  const isPostgres = sql`${1}`.compile(db).sql === '$1';
  return isPostgres
    ? {
      name: 'postgres', serialPrimaryKey: sql`serial primary key`,
      // clock_timestamp(), not now(): now() is frozen at the start of the transaction.
      isoNowPlus: (ms) => sql<string>`to_char((clock_timestamp() at time zone 'UTC') + make_interval(secs => ${ms / 1000}::double precision), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    }
    : {
      name: 'sqlite', serialPrimaryKey: sql`integer primary key autoincrement`,
      isoNowPlus: (ms) => sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ${`${ms >= 0 ? '+' : ''}${ms / 1000} seconds`})`,
    };
}
