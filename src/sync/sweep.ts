import type { Config } from '../config/index.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../store/db.ts';
import { findCompanyByCode, getCompany } from '../store/erp/companies.ts';
import { acquireLease, tryAcquireLease } from '../store/locks/repository.ts';
import { SqlConnectionStore } from '../store/connections/store.ts';
import { statusCounts, transferredInvoicePage, type StatusCounts } from '../store/sync/invoice-states.ts';
import { advanceSweepCursor, getSweepCursor } from '../store/sync/sweep-cursors.ts';
import { qboClientForCompany, select, type Invoice } from '../qbo/index.ts';
import { applyInvoiceRecords, readInvoices, type PaymentDates, type SyncScope } from './apply.ts';
import { SyncCompanyNotFoundError, SyncAlreadyRunningError } from './errors.ts';
import { qboTimeToIso } from './invoice-status.ts';

/** CDC looks back at most 30 days (docs/qbo-behaviour.md §8.1); older cursors start over with a full read. */
const CDC_LOOKBACK_MS = 29 * 86_400_000;
/** Each sweep re-reads a little before the last one ended: a change committed while it ran is not missed. */
const OVERLAP_MS = 2 * 60_000;
/** Intuit's ceiling per entity in one CDC answer. */
const CDC_PAGE = 1000;
const IN_CHUNK = 200;
const SWEEP_LEASE_MS = 10 * 60_000;

export interface SweepResult {
  company: string;
  changes: number;
  qboStatus: StatusCounts;
}

const lastUpdated = (r: Invoice): string => qboTimeToIso(r.MetaData?.LastUpdatedTime, new Date(0));

/**
 * Invoices changed in QBO since `since` (CDC), page after page: Intuit returns at most 1,000 per entity, so a full
 * page is followed by another from its newest LastUpdatedTime. Returns QBO's time at the first answer.
 */
export async function applyChangesSince(scope: SyncScope, since: Date): Promise<{ changes: number; qboTime: string; complete: boolean }> {
  let changes = 0;
  let qboTime: string | undefined;
  let from = since.toISOString();
  const seen = new Set<string>();
  for (;;) {
    const res = await scope.client.changeDataCapture(['Invoice', 'Payment'], from);
    qboTime ??= res.time;
    const dates: PaymentDates = new Map();
    for (const p of res.changes.Payment) if (p.TxnDate) dates.set(p.Id, p.TxnDate);
    const fresh = res.changes.Invoice.filter((r) => !seen.has(`${r.Id}@${lastUpdated(r)}`));
    for (const r of fresh) seen.add(`${r.Id}@${lastUpdated(r)}`);
    changes += await applyInvoiceRecords(scope, fresh, dates);
    if (res.changes.Invoice.length < CDC_PAGE) return { changes, qboTime, complete: true };
    const newest = res.changes.Invoice.map(lastUpdated).sort().at(-1) ?? from;
    // 1,000 changes within one second of QBO's clock: CDC cannot page past them; the caller reads everything.
    if (fresh.length === 0 || newest <= from) return { changes, qboTime, complete: false };
    from = newest;
  }
}

/**
 * Transferred invoices with no QBO state yet (exported before this feature, or older than the CDC window) are
 * read by id; one that QBO no longer returns is read singly, so a lagging query never marks an invoice deleted.
 */
async function applyUnknownStates(scope: SyncScope, everything: boolean): Promise<number> {
  let changes = 0;
  for (let afterId = 0; ;) {
    const page = await transferredInvoicePage(scope.db.kysely, scope.companyId, scope.realmId, afterId, IN_CHUNK, !everything);
    if (page.length === 0) return changes;
    afterId = page.at(-1)?.id ?? afterId;
    const ids = page.map((p) => p.qboInvoiceId);
    const found = await scope.client.queryAll(select('Invoice').where('Id', 'IN', ids));
    const missing = ids.filter((id) => !found.some((f) => f.Id === id));
    changes += await applyInvoiceRecords(scope, [...found, ...(await readInvoices(scope, missing))]);
  }
}

/** One sweep of one company's realm: CDC since the cursor (or a full read), then the invoices still unknown. */
export async function sweepScope(scope: SyncScope, now: Date = new Date()): Promise<number> {
  const cursor = await getSweepCursor(scope.db.kysely, scope.companyId, scope.realmId);
  const since = cursor?.changed_since ? new Date(Date.parse(cursor.changed_since) - OVERLAP_MS) : undefined;
  const withinWindow = since !== undefined && since.getTime() > now.getTime() - CDC_LOOKBACK_MS;
  // Without a usable cursor: QBO's clock from a short CDC call, then every transferred invoice read by id.
  const cdc = await applyChangesSince(scope, withinWindow ? since : new Date(now.getTime() - OVERLAP_MS));
  const changes = cdc.changes + (await applyUnknownStates(scope, !withinWindow || !cdc.complete));
  await advanceSweepCursor(scope.db.kysely, scope.companyId, scope.realmId, qboTimeToIso(cdc.qboTime, now), now);
  return changes;
}

export interface SweepDeps {
  db: Db;
  config: Config;
  logger: Logger;
}

export async function scopeFor(deps: SweepDeps, companyId: number, code: string): Promise<SyncScope> {
  const client = await qboClientForCompany({ connections: SqlConnectionStore.of(deps.db), config: deps.config, companyId, logger: deps.logger });
  return { db: deps.db, client, companyId, companyCode: code, realmId: client.realmId, logger: deps.logger.child({ companyId, realmId: client.realmId }) };
}

export const sweepLeaseName = (companyId: number): string => `sync:${companyId}`;

/**
 * `qbo-export sync` and the scheduled sweep: one sweep per company at a time across instances (a lease).
 * `wait`: a user's `sync` waits for a running sweep to end; the scheduler skips the company instead.
 */
export async function syncCompany(deps: SweepDeps, company: { code: string } | { id: number }, opts: { wait?: boolean } = {}): Promise<SweepResult> {
  const row = 'code' in company ? await findCompanyByCode(deps.db.kysely, company.code) : await getCompany(deps.db.kysely, company.id);
  if (!row) throw new SyncCompanyNotFoundError('code' in company ? company.code : `#${company.id}`);
  const lease = opts.wait ? await acquireLease(deps.db.kysely, sweepLeaseName(row.id), SWEEP_LEASE_MS, SWEEP_LEASE_MS) : await tryAcquireLease(deps.db.kysely, sweepLeaseName(row.id), SWEEP_LEASE_MS);
  if (!lease) throw new SyncAlreadyRunningError(row.code);
  try {
    const scope = await scopeFor(deps, row.id, row.code);
    const changes = await sweepScope(scope);
    return { company: row.code, changes, qboStatus: await statusCounts(deps.db.kysely, row.id) };
  } finally {
    await lease.release();
  }
}
