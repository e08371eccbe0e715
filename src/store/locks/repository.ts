import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queryable } from '../erp/queryable.ts';

export interface Lease {
  readonly name: string;
  readonly owner: string;
  /** Extends the lease; false when it was lost (expired and taken by someone else). */
  renew(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Takes the named lease if it is free or expired. One atomic upsert, so it works the same on SQLite
 * and PostgreSQL and across processes: the row's conditional update is the lock.
 */
export async function tryAcquireLease(db: Queryable, name: string, ttlMs: number, now = new Date()): Promise<Lease | null> {
  const owner = randomUUID();
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  const nowIso = now.toISOString();
  await db
    .insertInto('locks')
    .values({ name, owner, expires_at: expiresAt })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ owner, expires_at: expiresAt }).where('locks.expires_at', '<', nowIso),
    )
    .execute();
  const row = await db.selectFrom('locks').select('owner').where('name', '=', name).executeTakeFirst();
  if (row?.owner !== owner) return null;
  return {
    name,
    owner,
    async renew(ms: number) {
      const result = await db
        .updateTable('locks')
        .set({ expires_at: new Date(Date.now() + ms).toISOString() })
        .where('name', '=', name)
        .where('owner', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async release() {
      await releaseLeaseHeldBy(db, name, owner);
    },
  };
}

/** Waits for the lease (polling), up to `waitMs`; null when it stayed taken. */
export async function acquireLease(db: Queryable, name: string, ttlMs: number, waitMs: number): Promise<Lease | null> {
  const deadline = Date.now() + waitMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const lease = await tryAcquireLease(db, name, ttlMs);
    if (lease || Date.now() >= deadline) return lease;
    await sleep(delay);
  }
}

/** Who holds the lease now, if anyone (an expired lease counts as free). */
export async function leaseHolder(db: Queryable, name: string): Promise<string | null> {
  const row = await db.selectFrom('locks').selectAll().where('name', '=', name).executeTakeFirst();
  return row && row.expires_at > new Date().toISOString() ? row.owner : null;
}

/**
 * Frees the named lease while `owner` still holds it (a lease taken over by someone else is never displaced):
 * its holder's own release, or a lease whose holder is known to be gone (a run killed on this host).
 */
export async function releaseLeaseHeldBy(db: Queryable, name: string, owner: string): Promise<boolean> {
  const result = await db.deleteFrom('locks').where('name', '=', name).where('owner', '=', owner).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
