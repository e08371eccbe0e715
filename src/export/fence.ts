import type { Transaction } from 'kysely';
import type { Db } from '../store/db.ts';
import { assertLeaseHeld, type LeaseFence } from '../store/locks/repository.ts';
import { failIntents, markSentAt, type IntentScope } from '../store/runs/intents.ts';
import type { IntentKind } from '../store/runs/tables.ts';
import type { Database } from '../store/schema.ts';

/**
 * Fencing (issue 13): a run writes only while its lease stands by the DATABASE's clock. Every transaction that
 * records a write — the intent before a QBO call, the QBO id after it (store/runs/commit.ts) — first proves, inside
 * that same transaction, that the lease still has this run's owner and generation and has not expired; a run that
 * lost its lease without noticing (paused, partitioned, its renewals failing) is stopped by its next write, not by
 * a timer. `fence` is null in a dry run (it writes no ledger).
 */
export async function fencedTransaction<T>(db: Db, fence: LeaseFence | null, body: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.kysely.transaction().execute(async (trx) => {
    if (fence) await assertLeaseHeld(trx, fence);
    return body(trx);
  });
}

/**
 * Settles intents as failed (QBO certainly holds nothing from them), fenced like every ledger write: a run that
 * lost its lease must not mark failed a record the run that took over may be sending again.
 */
export async function failIntentsFenced(rc: { readonly db: Db; readonly fence: LeaseFence | null; readonly scope: IntentScope }, kind: IntentKind, recordIds: readonly number[]): Promise<void> {
  if (recordIds.length === 0) return;
  await fencedTransaction(rc.db, rc.fence, (trx) => failIntents(trx, rc.scope, kind, recordIds));
}

/**
 * The `beforeSend` of a QBO write (qbo/types.ts WriteOptions): just before each send — after the client's limiter
 * let it go, which can take long — the run proves it still holds its lease and records the send's time on the
 * intents, so that the in-doubt window counts from the real last send. A run that lost its lease sends nothing.
 */
export function beforeSending(rc: { readonly db: Db; readonly fence: LeaseFence | null; readonly scope: IntentScope }, kind: IntentKind, recordIds: readonly number[]): () => Promise<void> {
  return () => fencedTransaction(rc.db, rc.fence, (trx) => markSentAt(trx, rc.scope, kind, recordIds));
}
