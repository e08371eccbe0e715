import { qboClientForCompany } from '../qbo/company-client.ts';
import { UNAUTHORIZED_MESSAGE } from '../qbo/errors.ts';
import { booksName } from '../qbo/auth/connect.ts';
import { SECRET_MISMATCH_MESSAGE, TokenDecryptError } from '../qbo/auth/crypto.ts';
import { takeBooksChangeNote } from '../store/connections/repository.ts';
import type { QboClient } from '../qbo/types.ts';
import { companySettingsOf, getCompany } from '../store/erp/companies.ts';
import { closeAbandonedRuns, createRun, finishRun } from '../store/runs/repository.ts';
import { CompanyNotFoundError } from './errors.ts';
import { exportCreditMemos } from './credit-memos/index.ts';
import { exportCustomers } from './customers.ts';
import { exportInvoices, type InvoiceConcurrency } from './invoices.ts';
import { currentHost, processScope, takeExportLease } from './lease.ts';
import { reportStillInDoubt } from './in-doubt.ts';
import { LeaseLostError } from '../store/locks/repository.ts';
import { PhaseOutcomes } from './outcomes.ts';
import { exportProducts } from './products.ts';
import { RunContext, RunLog } from './run-context.ts';
import type { ExportStatus, ExportSummary, RunExportOptions, Stop } from './types.ts';
import { isAuthFailure } from './write-once.ts';
import { connectionStore } from './connections.ts';
import { DryRunWriter, LiveWriter } from './writer.ts';

/**
 * The Sales Invoice Exporter (seed): customers, then products, then invoices (then credit memos, issue 16), for one company; every run —
 * dry runs too — writes a Process Log entry named "Sales Invoice Exporter". Throws only when it cannot start
 * (ExportAlreadyRunningError, CompanyNotFoundError); everything else ends in the summary and the log.
 */
export async function runExport(opts: RunExportOptions & { concurrency?: InvoiceConcurrency }): Promise<ExportSummary> {
  const { db, logger } = opts;
  const company = await getCompany(db.kysely, opts.companyId);
  if (!company) throw new CompanyNotFoundError(opts.companyId);
  const lease = await takeExportLease(db, company);
  try {
    const runId = await createRun(db.kysely, {
      companyId: company.id, startedBy: opts.startedBy, dryRun: opts.dryRun, host: currentHost(), pid: process.pid, leaseOwner: lease.owner,
      processScope: processScope(),
    });
    opts.onRunCreated?.(runId);
    // Holding the lease, any other run still "running" belongs to a process that died.
    await closeAbandonedRuns(db.kysely, company.id, runId);
    const log = logger.child({ runId, company: company.code, dryRun: opts.dryRun });
    log.info({ startedBy: opts.startedBy }, 'Sales Invoice Exporter started');

    const settings = companySettingsOf(company);
    // The one place the dry run is decided: every write of the run goes through its writer.
    const runLog = { runId, writer: opts.dryRun ? new DryRunWriter() : new LiveWriter(), logger: log, onProgress: opts.onProgress };
    let client: QboClient | null = null;
    let unauthorized = UNAUTHORIZED_MESSAGE;
    try {
      // A write is never re-sent blindly: QBO may have applied it and forgotten its requestid (in-doubt.ts).
      const retry = { ...opts.retry, retryWritesWithUnknownOutcome: false };
      client = await qboClientForCompany({ connections: connectionStore(db), config: opts.config, companyId: company.id, logger: log, retry });
    } catch (error) {
      if (error instanceof TokenDecryptError) unauthorized = SECRET_MISMATCH_MESSAGE;
      else if (!isAuthFailure(error)) throw error;
    }
    let rc: RunLog;
    let stop: Stop | null;
    if (client) {
      const run = new RunContext({
        db, client, company, settings, clock: { now: () => new Date() },
        fence: opts.dryRun ? null : lease.fence, inDoubtMs: opts.config.qbo.inDoubtSeconds * 1000,
      }, runLog);
      rc = run;
      const change = await takeBooksChangeNote(db.kysely, company.id, !opts.dryRun);
      if (change) {
        rc.note('info', `Company ${company.code} now exports to other QuickBooks books: ${booksName(change.realmId, change.companyName)}, before ${booksName(change.previousRealmId, change.previousCompanyName)}. Its customers and products are matched by name or added in the new books; invoices transferred to the old books stay transferred there.`);
      }
      stop = await runPhases(run, opts, lease.lost);
      reportStillInDoubt(run);
    } else {
      rc = new RunLog(db, runLog, settings.abortOnError ?? false);
      stop = { reason: 'unauthorized', message: unauthorized };
    }

    if (stop) rc.note('error', stop.message);
    if (!client) rc.note('info', `Company ${company.code} has no usable QuickBooks connection: connect it on the QuickBooks Authentication page or with "qbo-export connect --company ${company.code}", then export again.`);
    const status: ExportStatus = stop ? 'failed' : rc.errors.length > 0 || failedCount(rc) > 0 || inDoubtCount(rc) > 0 ? 'partial' : 'succeeded';
    await rc.flush();
    await finishRun(db.kysely, runId, { status, counts: rc.counts, error: stop?.message ?? null });
    log.info({ status, counts: rc.counts }, 'Sales Invoice Exporter finished');
    return {
      runId,
      status,
      dryRun: opts.dryRun,
      customers: rc.counts.customers,
      products: rc.counts.products,
      invoices: rc.counts.invoices,
      creditMemos: rc.counts.creditMemos,
      errors: rc.errors,
      warnings: rc.warnings,
      ...(rc.errorsNotListed > 0 ? { errorsNotListed: rc.errorsNotListed } : {}),
      ...(rc.warningsNotListed > 0 ? { warningsNotListed: rc.warningsNotListed } : {}),
      ...(stop ? { stopReason: stop.reason, stoppedBecause: stop.message } : {}),
    };
  } finally {
    await lease.release();
  }
}

function failedCount(rc: RunLog): number {
  return rc.counts.customers.failed + rc.counts.products.failed + rc.counts.invoices.failed + rc.counts.creditMemos.failed;
}

function inDoubtCount(rc: RunLog): number {
  return rc.counts.customers.inDoubt + rc.counts.products.inDoubt + rc.counts.invoices.inDoubt + rc.counts.creditMemos.inDoubt;
}

async function runPhases(
  rc: RunContext,
  opts: RunExportOptions & { concurrency?: InvoiceConcurrency },
  leaseLost: AbortSignal,
): Promise<Stop | null> {
  const onCancel = () => rc.stop({ reason: 'cancelled', message: 'The export was cancelled; the next run continues where it stopped.' });
  const onLeaseLost = () => rc.stop({ reason: 'lease-lost', message: 'This run lost the export lease (it expired by the database clock or another run took it over) and stopped before writing more; the run that holds the lease, or the next one, continues the work.' });
  opts.signal?.addEventListener('abort', onCancel);
  leaseLost.addEventListener('abort', onLeaseLost);
  if (opts.signal?.aborted) onCancel();
  try {
    const outcomes = new PhaseOutcomes();
    await exportCustomers(rc, outcomes);
    if (!rc.stopped) await exportProducts(rc, outcomes);
    if (!rc.stopped) await exportInvoices(rc, outcomes, opts.concurrency);
    if (!rc.stopped) await exportCreditMemos(rc, outcomes);
  } catch (error) {
    if (error instanceof TokenDecryptError) return { reason: 'unauthorized', message: SECRET_MISMATCH_MESSAGE };
    if (error instanceof LeaseLostError || (error instanceof Error && error.cause instanceof LeaseLostError)) {
      rc.logger.warn('export lease lost; run stopped before writing more');
      return { reason: 'lease-lost', message: 'This run lost the export lease (it expired by the database clock or another run took it over) and stopped before writing more; the run that holds the lease, or the next one, continues the work.' };
    }
    if (isAuthFailure(error)) {
      rc.logger.warn({ err: { message: (error as Error).message } }, 'QuickBooks refused the authorization; run stopped');
      return { reason: 'unauthorized', message: UNAUTHORIZED_MESSAGE };
    }
    rc.logger.error({ err: error }, 'export run failed');
    return { reason: 'error', message: `The export stopped because of an unexpected problem: ${(error as Error).message}. Nothing is lost; run the export again.` };
  } finally {
    opts.signal?.removeEventListener('abort', onCancel);
    leaseLost.removeEventListener('abort', onLeaseLost);
  }
  return rc.stopInfo;
}
