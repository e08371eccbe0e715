import { hostname } from 'node:os';
import type { Db } from '../store/db.ts';
import type { Company } from '../store/erp/tables.ts';
import { leaseHolder, releaseLeaseHeldBy, tryAcquireLease, type Lease } from '../store/locks/repository.ts';
import { findRunningRun } from '../store/runs/repository.ts';
import { ExportAlreadyRunningError } from './errors.ts';

/**
 * One export per company at a time, across processes and app instances sharing the database: a lease that the
 * run renews while it works. A crashed holder's lease expires after LEASE_TTL_MS; a holder killed on this
 * very host is recognised at once (its process id is gone) so a restarted export does not wait.
 */
export const LEASE_TTL_MS = 30_000;
const RENEW_EVERY_MS = 10_000;

export interface ExportLease {
  readonly owner: string;
  /** Aborted when the lease was lost (expired and taken by another run): stop writing. */
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

export async function takeExportLease(db: Db, company: Company): Promise<ExportLease> {
  const name = leaseName(company.id);
  let lease = await tryAcquireLease(db.kysely, name, LEASE_TTL_MS);
  if (!lease) {
    const running = await findRunningRun(db.kysely, company.id);
    const holder = await leaseHolder(db.kysely, name);
    const deadHere = running !== null && holder !== null && running.leaseOwner === holder && running.host === hostname() && !processAlive(running.pid);
    if (deadHere && (await releaseLeaseHeldBy(db.kysely, name, holder))) lease = await tryAcquireLease(db.kysely, name, LEASE_TTL_MS);
    if (!lease) throw new ExportAlreadyRunningError(company.code, running?.startedAt ?? null, running?.startedBy ?? null);
  }
  return keepRenewed(lease);
}

function keepRenewed(lease: Lease): ExportLease {
  const lost = new AbortController();
  const timer = setInterval(() => {
    lease.renew(LEASE_TTL_MS).then(
      (kept) => {
        if (!kept) lost.abort(new Error('The export lease was lost (another run took over).'));
      },
      // A database hiccup: try again at the next tick; the TTL leaves room for two misses.
      () => undefined,
    );
  }, RENEW_EVERY_MS);
  timer.unref();
  return {
    owner: lease.owner,
    lost: lost.signal,
    async release() {
      clearInterval(timer);
      await lease.release();
    },
  };
}

export const currentHost = (): string => hostname();
