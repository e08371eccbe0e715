import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Flag, IsoTime } from '../erp/tables.ts';
import type { PendingIntent } from './intents.ts';

export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed';
export type MessageLevel = 'error' | 'warning' | 'info';
export type RecordKind = 'run' | 'customer' | 'product' | 'invoice' | 'credit-memo';
/** `credit-application`: the Payment that applies a credit memo to its invoice (issue 16), keyed by the memo's id. */
export type IntentKind = 'customer' | 'product' | 'invoice' | 'credit-memo' | 'credit-application';
/**
 * `pending`: a create may have reached QuickBooks (written before the call);
 * `done`: the QBO id is stored on the ERP record; `failed`: QuickBooks certainly created nothing.
 */
export type IntentState = 'pending' | 'done' | 'failed';

/** One Process Log entry ("Sales Invoice Exporter") per export run, dry runs included. */
export interface ExportRunsTable {
  id: Generated<number>;
  company_id: number;
  /** Always "Sales Invoice Exporter" (the seed's Process Log name). */
  name: string;
  started_by: string;
  started_at: IsoTime;
  finished_at: IsoTime | null;
  status: RunStatus;
  dry_run: Flag;
  /** Where the run executes: lets the next start on the same host see that a killed run's process is gone. */
  host: ColumnType<string, string | undefined, string>;
  pid: ColumnType<number, number | undefined, number>;
  /** Owner of the `export:<companyId>` lease this run holds. */
  lease_owner: string | null;
  customers_matched: ColumnType<number, number | undefined, number>;
  customers_added: ColumnType<number, number | undefined, number>;
  customers_failed: ColumnType<number, number | undefined, number>;
  products_matched: ColumnType<number, number | undefined, number>;
  products_added: ColumnType<number, number | undefined, number>;
  products_failed: ColumnType<number, number | undefined, number>;
  invoices_created: ColumnType<number, number | undefined, number>;
  invoices_already_in_qbo: ColumnType<number, number | undefined, number>;
  invoices_failed: ColumnType<number, number | undefined, number>;
  credit_memos_created: ColumnType<number, number | undefined, number>;
  credit_memos_already_in_qbo: ColumnType<number, number | undefined, number>;
  credit_memos_failed: ColumnType<number, number | undefined, number>;
  credit_memos_applied: ColumnType<number, number | undefined, number>;
  credit_memos_in_doubt: ColumnType<number, number | undefined, number>;
  /** Writes whose outcome was still unknown when the run ended (migration 0008). */
  customers_in_doubt: ColumnType<number, number | undefined, number>;
  products_in_doubt: ColumnType<number, number | undefined, number>;
  invoices_in_doubt: ColumnType<number, number | undefined, number>;
  /** Kernel boot and pid namespace of `pid` (null where unknown): only a run proven dead here frees its lease early. */
  process_scope: ColumnType<string | null, string | null | undefined, string | null>;
  /** Why the whole run stopped (e.g. the seed's UNAUTHORIZED sentence), else null. */
  error: string | null;
}

/** Per-record results of a run, in plain words. */
export interface RunMessagesTable {
  id: Generated<number>;
  run_id: number;
  level: MessageLevel;
  record_kind: RecordKind;
  /** invoiceNo, customerNo or productNo; null for run-level messages. */
  record_key: string | null;
  /** QBO fault code (e.g. "6240") when QuickBooks said no. */
  qbo_code: string | null;
  message: string;
  at: IsoTime;
}

/**
 * The exactly-once ledger: written before each QBO create, completed in the transaction that stores the
 * QBO id on the ERP record. A pending row found on the next run is reconciled by looking the record up in QBO.
 */
export interface ExportIntentsTable {
  company_id: number;
  /** The books the create went to: a pending intent is reconciled only against the realm it was sent to. */
  realm_id: string;
  kind: IntentKind;
  record_id: number;
  /** What QBO is searched by when reconciling: DocNumber, DisplayName or Item Name as sent. */
  lookup_key: string;
  /** The `requestid` QBO saw for the latest send: a single create's, or the batch's when `batch_item_id` is set. */
  request_id: string;
  /** Bumped only once QBO certainly holds nothing from the previous attempt, so a new payload gets a new requestid. */
  attempt: number;
  state: IntentState;
  qbo_id: string | null;
  updated_at: IsoTime;
  /** The write's last send, or when its unknown outcome was seen: starts the in-doubt window (migration 0008). */
  sent_at: ColumnType<IsoTime | null, IsoTime | null | undefined, IsoTime | null>;
  /** For a write sent in a batch: its `bId` (then `request_id` is the batch's requestid, as QBO saw it). */
  batch_item_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RunTables {
  export_runs: ExportRunsTable;
  run_messages: RunMessagesTable;
  export_intents: ExportIntentsTable;
}

export type ExportRunRow = Selectable<ExportRunsTable>;
export type RunMessageRow = Selectable<RunMessagesTable>;
export type NewRunMessage = Insertable<RunMessagesTable>;
export type ExportIntentRow = Selectable<ExportIntentsTable>;

/** A ledger row as the exporter reads it (intents.ts maps it): camelCase, times as Dates to the millisecond. */
export interface ExportIntent extends Required<PendingIntent> {
  state: IntentState;
  qboId: string | null;
  updatedAt: Date;
  /** null on rows written before migration 0008 (their `updatedAt` is the send). */
  sentAt: Date | null;
}
