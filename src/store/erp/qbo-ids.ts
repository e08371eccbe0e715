import { sql } from 'kysely';
import { nowIso, type Queryable } from './queryable.ts';
import type { Company, QboIdKind } from './tables.ts';

/**
 * QBO ids are kept per QuickBooks company's books (issue 12): a realm id, or, for a company never connected,
 * `company:<id>` (ids the ERP already knew for it, moved to its realm when it first connects). Two companies
 * connected to the same realm share its ids; a company reconnected to other books starts from that realm's ids.
 */
export type Books = string;

export function unconnectedBooks(companyId: number): Books {
  return `company:${companyId}`;
}

/** The books the company's exports go to now. */
export function booksOf(company: Pick<Company, 'id' | 'qbo_realm_id'>): Books {
  return company.qbo_realm_id ?? unconnectedBooks(company.id);
}

export interface QboIdRow {
  books: Books;
  kind: QboIdKind;
  recordId: number;
  qboId: string;
}

/** Stores ids (replacing the id a record had in those books), many rows per statement. */
export async function setQboIds(db: Queryable, rows: readonly QboIdRow[]): Promise<void> {
  const at = nowIso();
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('qbo_ids')
      .values(rows.slice(i, i + 500).map((r) => ({ realm_id: r.books, kind: r.kind, record_id: r.recordId, qbo_id: r.qboId, updated_at: at })))
      .onConflict((oc) => oc.columns(['realm_id', 'kind', 'record_id']).doUpdateSet((eb) => ({ qbo_id: eb.ref('excluded.qbo_id'), updated_at: at })))
      .execute();
  }
}

export async function setQboId(db: Queryable, books: Books, kind: QboIdKind, recordId: number, qboId: string): Promise<void> {
  await setQboIds(db, [{ books, kind, recordId, qboId }]);
}

/** The records' ids in one books, by record id (records without one are absent). */
export async function qboIdsIn(db: Queryable, books: Books, kind: QboIdKind, recordIds: readonly number[]): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  for (let i = 0; i < recordIds.length; i += 500) {
    const rows = await db
      .selectFrom('qbo_ids')
      .select(['record_id', 'qbo_id'])
      .where('realm_id', '=', books)
      .where('kind', '=', kind)
      .where('record_id', 'in', recordIds.slice(i, i + 500))
      .execute();
    for (const r of rows) found.set(Number(r.record_id), r.qbo_id);
  }
  return found;
}

export async function qboIdIn(db: Queryable, books: Books, kind: QboIdKind, recordId: number): Promise<string | null> {
  return (await qboIdsIn(db, books, kind, [recordId])).get(recordId) ?? null;
}

/** The records' ids in every books: record id → books → id. */
export async function qboIdsEverywhere(db: Queryable, kind: QboIdKind, recordIds: readonly number[]): Promise<Map<number, Map<Books, string>>> {
  const found = new Map<number, Map<Books, string>>();
  for (let i = 0; i < recordIds.length; i += 500) {
    const rows = await db
      .selectFrom('qbo_ids')
      .select(['realm_id', 'record_id', 'qbo_id'])
      .where('kind', '=', kind)
      .where('record_id', 'in', recordIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const id = Number(r.record_id);
      const map = found.get(id) ?? new Map<Books, string>();
      map.set(r.realm_id, r.qbo_id);
      found.set(id, map);
    }
  }
  return found;
}

/** SQL: the record (`alias.id`) has no id of this kind in these books. */
export function hasNoIdIn(books: Books, kind: QboIdKind, alias: string) {
  return sql<boolean>`not exists (select 1 from qbo_ids q where q.realm_id = ${books} and q.kind = ${kind} and q.record_id = ${sql.ref(`${alias}.id`)})`;
}

/**
 * The company is now connected to `realmId`. On its first connection the ids the ERP gave for its books
 * (`company:<id>`) and the invoices imported as transferred move to that realm (ids already known there win).
 * A reconnect to other books moves nothing: the old books keep their ids and transferred invoices.
 * Returns the books the company used before.
 */
export async function connectCompanyBooks(trx: Queryable, companyId: number, realmId: string): Promise<Books | null> {
  const before = await trx.selectFrom('companies').select('qbo_realm_id').where('id', '=', companyId).executeTakeFirst();
  const previous = before?.qbo_realm_id ?? null;
  if (previous === null) {
    const pending = unconnectedBooks(companyId);
    await sql`insert into qbo_ids (realm_id, kind, record_id, qbo_id, updated_at)
      select ${realmId}, kind, record_id, qbo_id, updated_at from qbo_ids where realm_id = ${pending}
      on conflict do nothing`.execute(trx);
    await trx.deleteFrom('qbo_ids').where('realm_id', '=', pending).execute();
    await trx.updateTable('sales_invoices').set({ qbo_realm_id: realmId }).where('company_id', '=', companyId).where('qbo_realm_id', '=', pending).execute();
  }
  await trx.updateTable('companies').set({ qbo_realm_id: realmId }).where('id', '=', companyId).execute();
  return previous;
}
