import type { RecordKind } from './validate.ts';
import { AppError } from '../../config/errors.ts';

/** One record read from a file, before validation. */
export interface SourceRecord {
  kind: RecordKind;
  /** How problems name the record: `invoices[3]` in JSON, `row 4` in CSV (the natural key is appended later). */
  label: string;
  raw: unknown;
  /** CSV invoice (credit memo) lines: rows that only carry lines for a record named by (company, invoiceNo / memoNo). */
  linesOnly?: boolean;
  /** Rewrites a field path for messages (CSV lines: `lines[2].qty` → `row 7 qty`). */
  describePath?: (path: string) => string;
}

/** A problem with the file itself (not JSON, unknown section, unknown CSV columns): no record to name. */
export class SourceError extends AppError<'IMPORT_SOURCE_INVALID'> {
  readonly code = 'IMPORT_SOURCE_INVALID';
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Records come in batches (one per chunk of the file) so the reader never holds the whole file. */
export type RecordBatches = AsyncIterable<SourceRecord[]>;
