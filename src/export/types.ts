import type { Db } from '../store/db.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../config/logger.ts';
import type { RunCounts } from '../store/runs/repository.ts';
import type { RetryPolicy } from '../qbo/types.ts';

export type ExportStatus = 'succeeded' | 'partial' | 'failed';
export type ExportPhase = 'customers' | 'products' | 'invoices' | 'credit-memos';

/** `export --json` (docs/design.md), plus `dryRun` and `warnings`. */
export interface ExportSummary {
  runId: number;
  status: ExportStatus;
  dryRun: boolean;
  customers: RunCounts['customers'];
  products: RunCounts['products'];
  invoices: RunCounts['invoices'];
  /** Issue 16: `{created, alreadyInQbo, failed, applied}`. */
  creditMemos: RunCounts['creditMemos'];
  errors: Array<{ record: string; message: string }>;
  warnings: Array<{ record: string; message: string }>;
  /** Errors/warnings beyond the first 1,000, not listed here (the Process Log has them all). */
  errorsNotListed?: number;
  warningsNotListed?: number;
  /** Set when the whole run stopped early; `stoppedBecause` says why in words (e.g. the seed's UNAUTHORIZED sentence). */
  stopReason?: StopReason;
  stoppedBecause?: string;
}

export type StopReason = 'unauthorized' | 'abort-on-error' | 'cancelled' | 'lease-lost' | 'error';

/** Why a run stopped early: the reason as a code, the message as the user reads it (Process Log, summary). */
export interface Stop {
  readonly reason: StopReason;
  readonly message: string;
}

/** Emitted as the run goes: after each record (or batch) and at each phase change. */
export interface ExportProgress {
  runId: number;
  phase: ExportPhase;
  done: number;
  total: number;
  counts: RunCounts;
}

export interface RunExportOptions {
  db: Db;
  config: Config;
  logger: Logger;
  companyId: number;
  /** Who started it (user email, `cli:<os user>`): shown in the Process Log. */
  startedBy: string;
  dryRun: boolean;
  onProgress?: (progress: ExportProgress) => void;
  /** Called once the Process Log entry exists (before any QBO call); the ExportService uses it. */
  onRunCreated?: (runId: number) => void;
  /** Aborting stops the run after the records in flight (status failed, resumable). */
  signal?: AbortSignal;
  /** Overrides of the QBO client's retry policy (tests shorten the waits). */
  retry?: Partial<RetryPolicy>;
}
