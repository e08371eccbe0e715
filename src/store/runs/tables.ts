import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Flag, IsoTime } from '../erp/tables.ts';

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
  /** The QBO `requestid` of the latest attempt (stable for the same attempt). */
  request_id: string;
  /** Bumped only once QBO certainly holds nothing from the previous attempt, so a new payload gets a new requestid. */
  attempt: number;
  state: IntentState;
  qbo_id: string | null;
  updated_at: IsoTime;
}

export interface RunTables {
  export_runs: ExportRunsTable;
  run_messages: RunMessagesTable;
  export_intents: ExportIntentsTable;
}

export type ExportRunRow = Selectable<ExportRunsTable>;
export type RunMessageRow = Selectable<RunMessagesTable>;
export type NewRunMessage = Insertable<RunMessagesTable>;
export type ExportIntent = Selectable<ExportIntentsTable>;
