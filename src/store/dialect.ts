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
}

/**
 * For migrations, which get only a Kysely instance: the dialect is read from how it compiles a bound value
 * (PostgreSQL `$1`, SQLite `?`), a public API, not from Kysely's internal executor. Code with a `Db` reads
 * `db.dialect` instead.
 */
export function dialectOf(db: Kysely<unknown>): DialectAdapter {
  const isPostgres = sql`${1}`.compile(db).sql === '$1';
  return isPostgres
    ? { name: 'postgres', serialPrimaryKey: sql`serial primary key` }
    : { name: 'sqlite', serialPrimaryKey: sql`integer primary key autoincrement` };
}
