import { sql, type Transaction } from 'kysely';
import type { Queryable } from '../erp/queryable.ts';
import type { Database } from '../schema.ts';
import type { ExportIntent, ExportIntentRow, IntentKind } from './tables.ts';

/** Whose ledger: one company's creates in one QuickBooks company's books (issue 12). */
export interface IntentScope {
  readonly companyId: number;
  readonly realmId: string;
}

/** What the exporter is about to send, recorded before the call (the exactly-once ledger). */
export interface PendingIntent {
  companyId: number;
  realmId: string;
  kind: IntentKind;
  recordId: number;
  lookupKey: string;
  /** What QBO sees: a single create's requestid, or the batch's requestid with `batchItemId` (the item's bId). */
  requestId: string;
  batchItemId?: string | null;
  attempt: number;
}

/**
 * A ledger row as the exporter reads it. Both dialects store the times as ISO text (migrations 0004, 0008): `new Date`
 * of it keeps the milliseconds the in-doubt window compares (and would copy a Date, were a driver to parse them).
 */
function toExportIntent(row: ExportIntentRow): ExportIntent {
  return {
    companyId: row.company_id,
    realmId: row.realm_id,
    kind: row.kind,
    recordId: row.record_id,
    lookupKey: row.lookup_key,
    requestId: row.request_id,
    attempt: row.attempt,
    state: row.state,
    qboId: row.qbo_id,
    updatedAt: new Date(row.updated_at),
    sentAt: row.sent_at === null ? null : new Date(row.sent_at),
    batchItemId: row.batch_item_id,
  };
}

/** The ledger rows of these records (any state), by record id. */
export async function getIntents(
  db: Queryable,
  scope: IntentScope,
  kind: IntentKind,
  recordIds: readonly number[],
): Promise<Map<number, ExportIntent>> {
  const found = new Map<number, ExportIntent>();
  for (let i = 0; i < recordIds.length; i += 500) {
    const rows = await db
      .selectFrom('export_intents')
      .selectAll()
      .where('company_id', '=', scope.companyId)
      .where('realm_id', '=', scope.realmId)
      .where('kind', '=', kind)
      .where('record_id', 'in', recordIds.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.record_id, toExportIntent(row));
  }
  return found;
}

/** Pending intents of a kind: creates that may have reached QuickBooks in an earlier, interrupted run. */
export async function listPendingIntents(db: Queryable, scope: IntentScope, kind: IntentKind): Promise<ExportIntent[]> {
  const rows = await db
    .selectFrom('export_intents')
    .selectAll()
    .where('company_id', '=', scope.companyId)
      .where('realm_id', '=', scope.realmId)
    .where('kind', '=', kind)
    .where('state', '=', 'pending')
    .orderBy('record_id')
    .execute();
  return rows.map(toExportIntent);
}

/**
 * Records intents as pending, in one statement per chunk. Must be durable BEFORE the QBO call: a crash
 * right after the call then leaves a pending row that the next run reconciles.
 */
export async function writePendingIntents(db: Queryable, intents: readonly PendingIntent[], now = new Date()): Promise<void> {
  const at = now.toISOString();
  for (let i = 0; i < intents.length; i += 500) {
    await db
      .insertInto('export_intents')
      .values(
        intents.slice(i, i + 500).map((t) => ({
          company_id: t.companyId,
          realm_id: t.realmId,
          kind: t.kind,
          record_id: t.recordId,
          lookup_key: t.lookupKey,
          request_id: t.requestId,
          attempt: t.attempt,
          state: 'pending' as const,
          qbo_id: null,
          updated_at: at,
          sent_at: at,
          batch_item_id: t.batchItemId ?? null,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['company_id', 'realm_id', 'kind', 'record_id']).doUpdateSet((eb) => ({
          lookup_key: eb.ref('excluded.lookup_key'),
          request_id: eb.ref('excluded.request_id'),
          attempt: eb.ref('excluded.attempt'),
          state: 'pending' as const,
          qbo_id: null,
          updated_at: at,
          sent_at: at,
          batch_item_id: eb.ref('excluded.batch_item_id'),
        })),
      )
      .execute();
  }
}

/** Marks the intent done with the QBO id; call inside the transaction that writes the id to the ERP record. */
export async function completeIntent(
  trx: Transaction<Database>,
  intent: { companyId: number; realmId: string; kind: IntentKind; recordId: number; qboId: string },
  now = new Date(),
): Promise<void> {
  await completeIntents(trx, intent, intent.kind, [intent], now);
}

/** `completeIntent` for many records in one statement (a batch of invoices commits together). */
export async function completeIntents(
  trx: Transaction<Database>,
  scope: IntentScope,
  kind: IntentKind,
  done: ReadonlyArray<{ recordId: number; qboId: string }>,
  now = new Date(),
): Promise<void> {
  if (done.length === 0) return;
  const qboIdCase = sql<string>`case record_id ${sql.join(done.map((d) => sql`when ${d.recordId} then ${d.qboId}`), sql` `)} end`;
  await trx
    .updateTable('export_intents')
    .set({ state: 'done', qbo_id: qboIdCase, updated_at: now.toISOString() })
    .where('company_id', '=', scope.companyId)
      .where('realm_id', '=', scope.realmId)
    .where('kind', '=', kind)
    .where('record_id', 'in', done.map((d) => d.recordId))
    .execute();
}

/** Sets `changes` on the PENDING intents of these records, 500 ids a statement. */
async function updatePending(
  db: Queryable,
  scope: IntentScope,
  kind: IntentKind,
  recordIds: readonly number[],
  changes: { sent_at: string } | { state: 'failed'; updated_at: string },
): Promise<void> {
  for (let i = 0; i < recordIds.length; i += 500) {
    await db
      .updateTable('export_intents')
      .set(changes)
      .where('company_id', '=', scope.companyId)
      .where('realm_id', '=', scope.realmId)
      .where('kind', '=', kind)
      .where('record_id', 'in', recordIds.slice(i, i + 500))
      .where('state', '=', 'pending')
      .execute();
  }
}

/**
 * These pending writes are being sent now, or their outcome became unknown now (the call ended without an answer):
 * their in-doubt window (re)starts from `now`, the latest moment QBO may have received them.
 */
export async function markSentAt(db: Queryable, scope: IntentScope, kind: IntentKind, recordIds: readonly number[], now = new Date()): Promise<void> {
  await updatePending(db, scope, kind, recordIds, { sent_at: now.toISOString() });
}

/** QuickBooks certainly created nothing for these records (a validation fault, or a lookup found nothing). */
export async function failIntents(
  db: Queryable,
  scope: IntentScope,
  kind: IntentKind,
  recordIds: readonly number[],
  now = new Date(),
): Promise<void> {
  await updatePending(db, scope, kind, recordIds, { state: 'failed', updated_at: now.toISOString() });
}
