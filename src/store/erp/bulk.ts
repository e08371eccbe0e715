import { sql, type Kysely, type RawBuilder } from 'kysely';
import { dialectOf, type DialectName } from '../dialect.ts';
import type { Queryable } from './queryable.ts';

/**
 * Many rows in one statement with ONE bound parameter: the rows as a JSON array of arrays, unpacked by the
 * database (SQLite `json_each`, PostgreSQL `json_array_elements`). The statement text stays the same whatever
 * the row count, so it is cheap to prepare, and no per-row query building runs in JS — this is what lets an
 * import write 300,000 lines in a few seconds. The only dialect difference of bulk writes lives here.
 */
export interface BulkColumn {
  name: string;
  type: 'integer' | 'text';
}

function rowsSelect(dialect: DialectName, columns: readonly BulkColumn[], json: string): RawBuilder<unknown> {
  if (dialect === 'postgres') {
    const fields = columns.map((c, i) => sql.raw(`(e->>${i})${c.type === 'integer' ? '::integer' : ''} as ${c.name}`));
    return sql`select ${sql.join(fields)} from json_array_elements(${json}::json) as e`;
  }
  const fields = columns.map((c, i) => sql.raw(`value ->> '$[${i}]' as ${c.name}`));
  // `where true`: SQLite needs it to tell an INSERT … SELECT … ON CONFLICT apart from a join's ON.
  return sql`select ${sql.join(fields)} from json_each(${json}) where true`;
}

/** `insert into TABLE (cols) select … from <rows> [suffix]` with `suffix` e.g. an ON CONFLICT clause. */
export function bulkInsert(
  db: Queryable,
  table: string,
  columns: readonly BulkColumn[],
  rows: ReadonlyArray<readonly unknown[]>,
  suffix: RawBuilder<unknown> = sql``,
): RawBuilder<unknown> {
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  return sql`insert into ${sql.table(table)} (${names}) ${rowsSelect(dialectOf(db as unknown as Kysely<unknown>).name, columns, JSON.stringify(rows))} ${suffix}`;
}

/** `col = excluded.col, …` for an upsert. */
export function setFromExcluded(names: readonly string[]): RawBuilder<unknown> {
  return sql.join(names.map((n) => sql`${sql.ref(n)} = excluded.${sql.ref(n)}`));
}
