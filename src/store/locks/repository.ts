import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import { AppError } from '../../config/errors.ts';
import { dialectOf } from '../dialect.ts';
import type { Queryable } from '../erp/queryable.ts';

/** What a holder proves in each of its commits' transactions (fencing): its lease, by owner and generation. */
export interface LeaseFence {
  readonly name: string;
  readonly owner: string;
  readonly generation: number;
}

export interface Lease extends LeaseFence {
  /** Extends the lease by the database's clock; false when it was lost (taken by someone else). */
  renew(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

/** The database's clock, `ms` ahead (leases never use a host's clock: hosts' clocks disagree). */
const dbNowPlus = (db: Queryable, ms: number) => dialectOf(db as unknown as Kysely<unknown>).isoNowPlus(ms);

/** The process holding a lease: its pid, and the kernel boot and pid namespace the pid means something in. */
export interface HolderProcess {
  readonly pid: number;
  readonly scope: string | null;
}

/**
 * Takes the named lease if it is free or expired. One atomic upsert, so it works the same on SQLite
 * and PostgreSQL and across processes: the row's conditional update is the lock. Expiry is reckoned by
 * the DATABASE's clock; each acquisition raises the lease's generation (the fencing number).
 */
export async function tryAcquireLease(db: Queryable, name: string, ttlMs: number, holder?: HolderProcess): Promise<Lease | null> {
  const owner = randomUUID();
  const holderColumns = { holder_pid: holder?.pid ?? null, holder_scope: holder?.scope ?? null };
  await db
    .insertInto('locks')
    .values({ name, owner, expires_at: dbNowPlus(db, ttlMs), generation: 1, ...holderColumns })
    .onConflict((oc) =>
      oc.column('name')
        .doUpdateSet({ owner, expires_at: dbNowPlus(db, ttlMs), generation: sql<number>`locks.generation + 1`, ...holderColumns })
        .where('locks.expires_at', '<', dbNowPlus(db, 0)),
    )
    .execute();
  const row = await db.selectFrom('locks').select(['owner', 'generation']).where('name', '=', name).executeTakeFirst();
  if (row?.owner !== owner) return null;
  return {
    name,
    owner,
    generation: Number(row.generation),
    async renew(ms: number) {
      const result = await db
        .updateTable('locks')
        .set({ expires_at: dbNowPlus(db, ms) })
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

/**
 * True while this holder's lease stands: same owner and generation, not expired by the database's clock. Call it
 * inside a commit's transaction (docs/design.md rule 4): it is written as an UPDATE that changes nothing, so the
 * transaction holds the lease row (PostgreSQL) or the database's write lock (SQLite) from here to its commit, and
 * a run taking the lease over waits for this commit and then sees what it wrote.
 */
export async function leaseStillHeld(trx: Queryable, fence: LeaseFence): Promise<boolean> {
  const result = await trx
    .updateTable('locks')
    .set({ generation: fence.generation })
    .where('name', '=', fence.name)
    .where('owner', '=', fence.owner)
    .where('generation', '=', fence.generation)
    .where('expires_at', '>', dbNowPlus(trx, 0))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The holder's lease is gone (expired by the database's clock, deleted, or taken over): it must not write. */
export class LeaseLostError extends AppError<'LEASE_LOST'> {
  readonly code = 'LEASE_LOST';
  readonly retryable = false;
  constructor(readonly lease: string) {
    super(`This run no longer holds the lease ${lease} (it expired or another run took it over); it stopped before writing more.`);
  }
}

/** `leaseStillHeld` that throws LeaseLostError: the first statement of a fenced transaction. */
export async function assertLeaseHeld(trx: Queryable, fence: LeaseFence): Promise<void> {
  if (!(await leaseStillHeld(trx, fence))) throw new LeaseLostError(fence.name);
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

/** Who holds the lease now, if anyone (an expired lease, by the database's clock, counts as free). */
export async function leaseHolder(db: Queryable, name: string): Promise<string | null> {
  return (await leaseHolderProcess(db, name))?.owner ?? null;
}

/** The lease's holder and its process when it said (null fields: taken without, or before migration 0013). */
export async function leaseHolderProcess(db: Queryable, name: string): Promise<{ owner: string; pid: number | null; scope: string | null } | null> {
  const row = await db
    .selectFrom('locks')
    .select(['owner', 'holder_pid', 'holder_scope'])
    .where('name', '=', name)
    .where('expires_at', '>', dbNowPlus(db, 0))
    .executeTakeFirst();
  return row ? { owner: row.owner, pid: row.holder_pid, scope: row.holder_scope } : null;
}

/**
 * Frees the named lease while `owner` still holds it (a lease taken over by someone else is never displaced):
 * its holder's own release, or a lease whose holder is proven gone (a run killed in this kernel and pid namespace).
 */
export async function releaseLeaseHeldBy(db: Queryable, name: string, owner: string): Promise<boolean> {
  const result = await db.deleteFrom('locks').where('name', '=', name).where('owner', '=', owner).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
