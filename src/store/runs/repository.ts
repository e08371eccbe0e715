import { sql } from 'kysely';
import type { Queryable } from '../erp/queryable.ts';
import type { ExportRunRow, MessageLevel, RecordKind, RunMessageRow, RunStatus } from './tables.ts';

/** The Process Log name the seed tells users to look for. */
export const EXPORT_RUN_NAME = 'Sales Invoice Exporter';

/** `inDoubt`: writes whose outcome QuickBooks had not settled when the run ended (the next run settles them). */
export interface RunCounts {
  customers: { matched: number; added: number; failed: number; inDoubt: number };
  products: { matched: number; added: number; failed: number; inDoubt: number };
  invoices: { created: number; alreadyInQbo: number; failed: number; inDoubt: number };
  /** Issue 16: credit memos created / adopted / failed / in doubt, and credits applied to their invoices. */
  creditMemos: { created: number; alreadyInQbo: number; failed: number; applied: number; inDoubt: number };
}

export interface RunEntry {
  id: number;
  name: string;
  companyId: number;
  companyCode: string;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  dryRun: boolean;
  counts: RunCounts;
  /** Why the whole run stopped, if it did (e.g. the seed's UNAUTHORIZED sentence). */
  error: string | null;
}

export interface RunMessage {
  level: MessageLevel;
  recordKind: RecordKind;
  recordKey: string | null;
  qboCode: string | null;
  message: string;
  at: string;
}

export interface RunWithMessages extends RunEntry {
  /** Errors first, then warnings, then information; each group in the order written. */
  messages: RunMessage[];
}

export const emptyCounts = (): RunCounts => ({
  customers: { matched: 0, added: 0, failed: 0, inDoubt: 0 },
  products: { matched: 0, added: 0, failed: 0, inDoubt: 0 },
  invoices: { created: 0, alreadyInQbo: 0, failed: 0, inDoubt: 0 },
  creditMemos: { created: 0, alreadyInQbo: 0, failed: 0, applied: 0, inDoubt: 0 },
});

/** Opens a Process Log entry in state `running`. */
export async function createRun(
  db: Queryable,
  run: { companyId: number; startedBy: string; dryRun: boolean; startedAt?: Date; host?: string; pid?: number; leaseOwner?: string | null; processScope?: string | null },
): Promise<number> {
  const row = await db
    .insertInto('export_runs')
    .values({
      company_id: run.companyId,
      name: EXPORT_RUN_NAME,
      started_by: run.startedBy,
      started_at: (run.startedAt ?? new Date()).toISOString(),
      finished_at: null,
      status: 'running',
      dry_run: run.dryRun ? 1 : 0,
      host: run.host ?? '',
      pid: run.pid ?? 0,
      lease_owner: run.leaseOwner ?? null,
      process_scope: run.processScope ?? null,
      error: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function countColumns(c: RunCounts) {
  return {
    customers_matched: c.customers.matched,
    customers_added: c.customers.added,
    customers_failed: c.customers.failed,
    products_matched: c.products.matched,
    products_added: c.products.added,
    products_failed: c.products.failed,
    invoices_created: c.invoices.created,
    invoices_already_in_qbo: c.invoices.alreadyInQbo,
    invoices_failed: c.invoices.failed,
    credit_memos_created: c.creditMemos.created,
    credit_memos_already_in_qbo: c.creditMemos.alreadyInQbo,
    credit_memos_failed: c.creditMemos.failed,
    credit_memos_applied: c.creditMemos.applied,
    customers_in_doubt: c.customers.inDoubt,
    products_in_doubt: c.products.inDoubt,
    invoices_in_doubt: c.invoices.inDoubt,
    credit_memos_in_doubt: c.creditMemos.inDoubt,
  };
}

/** Saves the counts so far (a killed run still shows how far it got). */
export async function saveRunCounts(db: Queryable, runId: number, counts: RunCounts): Promise<void> {
  await db.updateTable('export_runs').set(countColumns(counts)).where('id', '=', runId).execute();
}

export async function finishRun(
  db: Queryable,
  runId: number,
  result: { status: Exclude<RunStatus, 'running'>; counts: RunCounts; error?: string | null; finishedAt?: Date },
): Promise<void> {
  await db
    .updateTable('export_runs')
    .set({
      ...countColumns(result.counts),
      status: result.status,
      error: result.error ?? null,
      finished_at: (result.finishedAt ?? new Date()).toISOString(),
    })
    .where('id', '=', runId)
    .execute();
}

/** The company's newest run still marked running (who started it, when, where, with which lease). */
export async function findRunningRun(
  db: Queryable,
  companyId: number,
): Promise<{ id: number; startedBy: string; startedAt: string; host: string; pid: number; leaseOwner: string | null; processScope: string | null } | null> {
  const row = await db
    .selectFrom('export_runs')
    .select(['id', 'started_by', 'started_at', 'host', 'pid', 'lease_owner', 'process_scope'])
    .where('company_id', '=', companyId)
    .where('status', '=', 'running')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row
    ? { id: row.id, startedBy: row.started_by, startedAt: row.started_at, host: row.host, pid: row.pid, leaseOwner: row.lease_owner, processScope: row.process_scope }
    : null;
}

/**
 * Runs of the company still marked `running` although nobody holds the export lease (the process was
 * killed): they are closed as failed so the Process Log does not show a run that will never end.
 */
export async function closeAbandonedRuns(db: Queryable, companyId: number, exceptRunId: number, now = new Date()): Promise<number> {
  const result = await db
    .updateTable('export_runs')
    .set({
      status: 'failed',
      finished_at: now.toISOString(),
      error: 'The export stopped before it finished (the process ended); the next run took over where it stopped.',
    })
    .where('company_id', '=', companyId)
    .where('status', '=', 'running')
    .where('id', '!=', exceptRunId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function addRunMessages(db: Queryable, runId: number, messages: readonly RunMessage[]): Promise<void> {
  if (messages.length === 0) return;
  // Chunked: PostgreSQL allows 65,535 parameters per statement, SQLite 32,766.
  for (let i = 0; i < messages.length; i += 500) {
    await db
      .insertInto('run_messages')
      .values(
        messages.slice(i, i + 500).map((m) => ({
          run_id: runId,
          level: m.level,
          record_kind: m.recordKind,
          record_key: m.recordKey,
          qbo_code: m.qboCode,
          message: m.message,
          at: m.at,
        })),
      )
      .execute();
  }
}

const runColumns = [
  'export_runs.id', 'export_runs.name', 'export_runs.company_id', 'companies.code as company_code',
  'export_runs.started_by', 'export_runs.started_at', 'export_runs.finished_at', 'export_runs.status',
  'export_runs.dry_run', 'export_runs.customers_matched', 'export_runs.customers_added', 'export_runs.customers_failed',
  'export_runs.products_matched', 'export_runs.products_added', 'export_runs.products_failed',
  'export_runs.invoices_created', 'export_runs.invoices_already_in_qbo', 'export_runs.invoices_failed', 'export_runs.error',
  'export_runs.credit_memos_created', 'export_runs.credit_memos_already_in_qbo', 'export_runs.credit_memos_failed', 'export_runs.credit_memos_applied',
  'export_runs.customers_in_doubt', 'export_runs.products_in_doubt', 'export_runs.invoices_in_doubt', 'export_runs.credit_memos_in_doubt',
] as const;

function toEntry(r: Omit<ExportRunRow, 'host' | 'pid' | 'lease_owner' | 'process_scope'> & { company_code: string }): RunEntry {
  return {
    id: r.id,
    name: r.name,
    companyId: r.company_id,
    companyCode: r.company_code,
    startedBy: r.started_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    dryRun: r.dry_run === 1,
    counts: {
      customers: { matched: r.customers_matched, added: r.customers_added, failed: r.customers_failed, inDoubt: r.customers_in_doubt },
      products: { matched: r.products_matched, added: r.products_added, failed: r.products_failed, inDoubt: r.products_in_doubt },
      invoices: { created: r.invoices_created, alreadyInQbo: r.invoices_already_in_qbo, failed: r.invoices_failed, inDoubt: r.invoices_in_doubt },
      creditMemos: {
        created: r.credit_memos_created, alreadyInQbo: r.credit_memos_already_in_qbo, failed: r.credit_memos_failed, applied: r.credit_memos_applied,
        inDoubt: r.credit_memos_in_doubt,
      },
    },
    error: r.error,
  };
}

/** Process Log entries, newest first. */
export async function listRuns(
  db: Queryable,
  query: { companyId?: number; status?: RunStatus; limit: number; offset?: number },
): Promise<RunEntry[]> {
  let q = db.selectFrom('export_runs').innerJoin('companies', 'companies.id', 'export_runs.company_id').select(runColumns);
  if (query.companyId !== undefined) q = q.where('export_runs.company_id', '=', query.companyId);
  if (query.status !== undefined) q = q.where('export_runs.status', '=', query.status);
  const rows = await q.orderBy('export_runs.id', 'desc').limit(query.limit).offset(query.offset ?? 0).execute();
  return rows.map(toEntry);
}

function toMessage(m: RunMessageRow): RunMessage {
  return { level: m.level, recordKind: m.record_kind, recordKey: m.record_key, qboCode: m.qbo_code, message: m.message, at: m.at };
}

/** One entry with its messages, errors first; null when there is no such run. */
export async function getRun(db: Queryable, runId: number): Promise<RunWithMessages | null> {
  const row = await db
    .selectFrom('export_runs')
    .innerJoin('companies', 'companies.id', 'export_runs.company_id')
    .select(runColumns)
    .where('export_runs.id', '=', runId)
    .executeTakeFirst();
  if (!row) return null;
  const messages = await db
    .selectFrom('run_messages')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy(sql`case level when 'error' then 0 when 'warning' then 1 else 2 end`)
    .orderBy('id')
    .execute();
  return { ...toEntry(row), messages: messages.map(toMessage) };
}
