import type { Logger } from '../config/logger.ts';
import type { QboClient } from '../qbo/types.ts';
import type { Db } from '../store/db.ts';
import type { CompanySettings } from '../store/erp/company-settings.ts';
import type { Books } from '../store/erp/qbo-ids.ts';
import type { Company } from '../store/erp/tables.ts';
import type { LeaseFence } from '../store/locks/repository.ts';
import type { IntentScope } from '../store/runs/intents.ts';
import { addRunMessages, emptyCounts, saveRunCounts, type RunCounts, type RunMessage } from '../store/runs/repository.ts';
import type { MessageLevel, RecordKind } from '../store/runs/tables.ts';
import { InDoubtRecords } from './in-doubt.ts';
import { recordLabel } from './messages.ts';
import type { ExportPhase, ExportProgress, Stop } from './types.ts';
import type { ExportWriter } from './writer.ts';

/** Progress events at most this often (the web streams them; the CLI redraws a bar). */
const PROGRESS_EVERY_MS = 100;
/** Process Log messages are written in groups: at most this many waiting, or this long. */
const FLUSH_MESSAGES = 300;
const FLUSH_EVERY_MS = 1_000;
/** Errors and warnings carried in the summary; beyond that only counted (all are in the Process Log). */
const SUMMARY_LIST_MAX = 1_000;

export interface RecordRef {
  kind: RecordKind;
  key: string;
  name?: string | undefined;
}

/** What each record kind is counted as (the `export --json` counts). */
/** `inDoubt` is not a record's outcome: it is counted once, at the run's end (in-doubt.ts). */
export interface Tally {
  customer: Exclude<keyof RunCounts['customers'], 'inDoubt'>;
  product: Exclude<keyof RunCounts['products'], 'inDoubt'>;
  invoice: Exclude<keyof RunCounts['invoices'], 'inDoubt'>;
  /** `applied` counts a memo's credit applied to its invoice, beside how the memo itself ended (issue 16). */
  'credit-memo': Exclude<keyof RunCounts['creditMemos'], 'inDoubt'>;
}

/** The counters of each record kind in RunCounts. */
const countsOf: { readonly [K in keyof Tally]: keyof RunCounts } = {
  customer: 'customers', product: 'products', invoice: 'invoices', 'credit-memo': 'creditMemos',
};

/** How one record ended: counted under `tally`, with its Process Log message. */
export type RecordOutcome<K extends keyof Tally> =
  /** `level: 'error'`: done, but with a problem to fix (e.g. QBO computed another total). */
  | { readonly tally: Exclude<Tally[K], 'failed'>; readonly message: string; readonly level?: 'error' }
  | { readonly tally: 'failed'; readonly message: string; readonly qboCode?: string | null };

/** What the phases of one run work with, in one object (declared once, on RunContext). */
export type RunDeps = Pick<RunContext, 'db' | 'client' | 'company' | 'settings' | 'clock' | 'fence' | 'inDoubtMs'>;

/** How a run logs: its Process Log entry, its writer (live or dry run), where progress goes. */
export interface RunLogOptions {
  readonly runId: number;
  readonly writer: ExportWriter;
  readonly logger: Logger;
  readonly onProgress?: ((p: ExportProgress) => void) | undefined;
}

/**
 * The run's record of itself: the counters, the Process Log messages (buffered, written at each flush), progress
 * events and why it stopped, if it did. A run that cannot reach QuickBooks has only this.
 */
export class RunLog {
  readonly counts: RunCounts = emptyCounts();
  readonly errors: Array<{ record: string; message: string }> = [];
  readonly warnings: Array<{ record: string; message: string }> = [];
  errorsNotListed = 0;
  warningsNotListed = 0;
  /** Set when the run must stop launching work: abort on error, a lost lease, the caller's signal, a failure. */
  stopInfo: Stop | null = null;
  private buffer: RunMessage[] = [];
  private lastProgressAt = 0;
  private lastFlushAt = Date.now();

  readonly runId: number;
  /** Where the run would change QuickBooks or the ledger: done (live) or only said (dry run). */
  readonly writer: ExportWriter;
  readonly logger: Logger;
  private readonly onProgress: ((p: ExportProgress) => void) | undefined;

  constructor(
    private readonly store: Db,
    options: RunLogOptions,
    /** The company's "abort export on error" setting. */
    private readonly abortOnError: boolean,
  ) {
    ({ runId: this.runId, writer: this.writer, logger: this.logger, onProgress: this.onProgress } = options);
  }

  get stopped(): boolean {
    return this.stopInfo !== null;
  }

  /** Waits `ms`, or less when the run is stopped meanwhile. */
  async sleep(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stopped && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(250, until - Date.now())));
  }

  /** The first stop wins: it is the reason the run reports. */
  stop(stop: Stop): void {
    this.stopInfo ??= stop;
  }

  /** The one place a record's outcome is counted and written to the Process Log. */
  record<K extends keyof Tally>(ref: RecordRef & { kind: K }, outcome: RecordOutcome<K>): void {
    const counts = this.counts[countsOf[ref.kind]] as Record<Tally[K], number>;
    counts[outcome.tally as Tally[K]]++;
    if ('qboCode' in outcome || outcome.tally === 'failed') this.fail(ref, outcome.message, ('qboCode' in outcome ? outcome.qboCode : null) ?? null);
    else if ('level' in outcome && outcome.level === 'error') this.fail(ref, outcome.message, null);
    else this.info(ref, outcome.message);
  }

  private add(level: MessageLevel, ref: RecordRef, text: string, qboCode: string | null): string {
    const label = recordLabel(ref.kind, ref.key, ref.name);
    const message = `${label}: ${text}`;
    this.buffer.push({ level, recordKind: ref.kind, recordKey: ref.key, qboCode, message, at: new Date().toISOString() });
    // The summary lists the first ones; the Process Log keeps them all (memory stays flat on huge runs).
    if (level === 'error') {
      if (this.errors.length < SUMMARY_LIST_MAX) this.errors.push({ record: label, message });
      else this.errorsNotListed++;
    }
    if (level === 'warning') {
      if (this.warnings.length < SUMMARY_LIST_MAX) this.warnings.push({ record: label, message });
      else this.warningsNotListed++;
    }
    return message;
  }

  info(ref: RecordRef, text: string): void {
    this.add('info', ref, text, null);
  }

  warn(ref: RecordRef, text: string, qboCode: string | null = null): void {
    this.add('warning', ref, text, qboCode);
  }

  /**
   * An error on a record, not counted: `record` counts the record once, this adds its further problems. The run
   * goes on unless the company's "abort export on error" setting is on.
   */
  fail(ref: RecordRef, text: string, qboCode: string | null = null): void {
    const message = this.add('error', ref, this.writer.failure(text), qboCode);
    this.logger.warn({ runId: this.runId, record: ref.key, qboCode }, message);
    if (this.abortOnError) this.stop({ reason: 'abort-on-error', message: `The export stopped at the first failed record (abort export on error is on): ${message}` });
  }

  /** A run-level message (e.g. why the run stopped). */
  note(level: MessageLevel, text: string, qboCode: string | null = null): void {
    this.buffer.push({ level, recordKind: 'run', recordKey: null, qboCode, message: text, at: new Date().toISOString() });
  }

  progress(phase: ExportPhase, done: number, total: number, force = false): void {
    if (!this.onProgress) return;
    const now = Date.now();
    if (!force && now - this.lastProgressAt < PROGRESS_EVERY_MS) return;
    this.lastProgressAt = now;
    this.onProgress({ runId: this.runId, phase, done, total, counts: structuredClone(this.counts) });
  }

  /** Flushes when enough has piled up or a second has passed: the Process Log follows the run closely, cheaply. */
  async maybeFlush(): Promise<void> {
    if (this.buffer.length >= FLUSH_MESSAGES || Date.now() - this.lastFlushAt >= FLUSH_EVERY_MS) await this.flush();
  }

  /** Writes buffered messages and the counts so far (a killed run still shows how far it got). */
  async flush(): Promise<void> {
    const messages = this.buffer;
    this.buffer = [];
    this.lastFlushAt = Date.now();
    await addRunMessages(this.store.kysely, this.runId, messages);
    await saveRunCounts(this.store.kysely, this.runId, this.counts);
  }
}

/** A run that reaches QuickBooks: its log and its dependencies. */
export class RunContext extends RunLog {
  readonly db: Db;
  readonly client: QboClient;
  readonly company: Company;
  readonly settings: CompanySettings;
  /** The run's time (a test may pin it). */
  readonly clock: { now(): Date };
  /** The lease this run writes under, checked in every recording transaction (fence.ts); null in a dry run. */
  readonly fence: LeaseFence | null;
  /** QBO_IN_DOUBT_SECONDS in ms: how long a write with an unknown outcome stays in doubt (in-doubt.ts). */
  readonly inDoubtMs: number;
  /** Writes of this run whose outcome is unknown (in-doubt.ts). */
  readonly inDoubt: InDoubtRecords;
  /** The run's date (YYYY-MM-DD, UTC), e.g. an inventory item's start date. */
  readonly today: string;

  constructor(deps: RunDeps, log: RunLogOptions) {
    super(deps.db, log, deps.settings.abortOnError ?? false);
    ({ db: this.db, client: this.client, company: this.company, settings: this.settings, clock: this.clock, fence: this.fence, inDoubtMs: this.inDoubtMs } = deps);
    this.inDoubt = new InDoubtRecords(deps.inDoubtMs);
    this.today = deps.clock.now().toISOString().slice(0, 10);
  }

  /** The QuickBooks company's books this run writes to: every id it reads or writes is of this realm (issue 12). */
  get books(): Books {
    return this.client.realmId;
  }

  /** The exactly-once ledger and leases are per company and realm. */
  get scope(): IntentScope {
    return { companyId: this.company.id, realmId: this.client.realmId };
  }
}

/**
 * Runs `fn` over `items` with at most `limit` at a time, launching no more once the run is stopped. A throw
 * (e.g. the authorization was refused) stops the others too; it is rethrown only once every call in flight has
 * ended, so nothing writes after the run is closed.
 */
export async function forEachConcurrent<T>(rc: RunLog, items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failure: { error: Error | null } = { error: null };
  const worker = async () => {
    while (next < items.length && !rc.stopped && !failure.error) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failure.error ??= error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure.error) throw failure.error;
}
