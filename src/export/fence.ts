import type { Transaction } from 'kysely';
import type { Db } from '../store/db.ts';
import { assertLeaseHeld, type LeaseFence } from '../store/locks/repository.ts';
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
