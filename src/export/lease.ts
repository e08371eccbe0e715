import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Db } from '../store/db.ts';
import type { Company } from '../store/erp/tables.ts';
import { leaseHolderProcess, releaseLeaseHeldBy, tryAcquireLease, type Lease, type LeaseFence } from '../store/locks/repository.ts';
import { findRunningRun } from '../store/runs/repository.ts';
import { ExportAlreadyRunningError } from './errors.ts';

/**
 * One export per company at a time, across processes and app instances sharing the database: a lease, timed by
 * the database's clock, that the run renews while it works. Each acquisition raises the lease's generation, and
 * every recording transaction checks it (fence.ts), so a run that lost its lease stops at its next write.
 * A crashed holder's lease expires after LEASE_TTL_MS. Only a holder PROVEN dead is freed at once: one that ran
 * in this very kernel boot and pid namespace (`processScope`) and whose pid is gone. A host name alone proves
 * nothing (containers and cloned machines share them), so a live process elsewhere never loses its lease to it.
 */
export const LEASE_TTL_MS = 30_000;
const RENEW_EVERY_MS = 10_000;

export interface ExportLease {
  readonly owner: string;
  readonly fence: LeaseFence;
  /** Aborted when the lease was lost (taken by another run) or could not be renewed before it would run out. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export const leaseName = (companyId: number): string => `export:${companyId}`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * This process's kernel boot and pid namespace (Linux), or null where they cannot be read: two processes with
 * equal scopes see the same pids, so "pid gone" means the same thing to both.
 */
export function processScope(): string | null {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const pidNamespace = readlinkSync('/proc/self/ns/pid');
    return boot && pidNamespace ? `${boot}/${pidNamespace}` : null;
  } catch {
    return null;
  }
}

export async function takeExportLease(db: Db, company: Company): Promise<ExportLease> {
  const name = leaseName(company.id);
  const scope = processScope();
  const me = { pid: process.pid, scope };
  let lease = await tryAcquireLease(db.kysely, name, LEASE_TTL_MS, me);
  if (!lease) {
    const running = await findRunningRun(db.kysely, company.id);
    const holder = await leaseHolderProcess(db.kysely, name);
    // The holder's process as its lease row says (a run killed before it wrote its run row), else as its run says.
    const ownRun = running !== null && holder !== null && running.leaseOwner === holder.owner ? running : null;
    const pid = holder?.pid ?? ownRun?.pid ?? null;
    const holderScope = holder?.pid != null ? holder.scope : (ownRun?.processScope ?? null);
    const provenDead = holder !== null && pid !== null && scope !== null && holderScope === scope && !processAlive(pid);
    if (provenDead && (await releaseLeaseHeldBy(db.kysely, name, holder.owner))) lease = await tryAcquireLease(db.kysely, name, LEASE_TTL_MS, me);
    if (!lease) throw new ExportAlreadyRunningError(company.code, running?.startedAt ?? null, running?.startedBy ?? null);
  }
  return keepRenewed(lease);
}

function keepRenewed(lease: Lease): ExportLease {
  const lost = new AbortController();
  // On this process's monotonic clock, from the start of the last renewal that succeeded: the database set the
  // expiry no earlier than that, so once a TTL has passed since, the lease has run out whatever the clocks say.
  let renewedAt = performance.now();
  const timer = setInterval(() => {
    const started = performance.now();
    lease.renew(LEASE_TTL_MS).then(
      (kept) => {
        if (kept) renewedAt = started;
        else lost.abort(new Error('The export lease was lost (another run took over).'));
      },
      // A database hiccup: try again at the next tick while the TTL leaves room; stop before it runs out.
      () => {
        if (performance.now() - renewedAt >= LEASE_TTL_MS - RENEW_EVERY_MS) lost.abort(new Error('The export lease could not be renewed.'));
      },
    );
  }, RENEW_EVERY_MS);
  timer.unref();
  return {
    owner: lease.owner,
    fence: { name: lease.name, owner: lease.owner, generation: lease.generation },
    lost: lost.signal,
    async release() {
      clearInterval(timer);
      await lease.release();
    },
  };
}

export const currentHost = (): string => hostname();
