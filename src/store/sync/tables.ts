import type { ColumnType, Generated, Selectable } from 'kysely';
import type { DecimalString, IsoDate, IsoTime } from '../erp/tables.ts';

/** An invoice's state in QuickBooks, as the flow back reads it (issue 14). */
export type QboStatus = 'open' | 'partially-paid' | 'paid' | 'voided' | 'deleted';
export const QBO_STATUSES: readonly QboStatus[] = ['open', 'partially-paid', 'paid', 'voided', 'deleted'];

export interface QboInvoiceStatesTable {
  sales_invoice_id: number;
  company_id: number;
  realm_id: string;
  qbo_invoice_id: string;
  status: QboStatus;
  balance: DecimalString;
  total: DecimalString;
  last_payment_date: IsoDate | null;
  /** QBO's MetaData.LastUpdatedTime (as UTC): an older reading never overwrites a newer one. */
  qbo_updated_at: IsoTime;
  synced_at: IsoTime;
}

export interface QboWebhookInboxTable {
  id: Generated<number>;
  /** The same delivery twice (Intuit retries) is stored once. */
  body_sha256: string;
  body: string;
  received_at: IsoTime;
  processed_at: IsoTime | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
}

export interface QboSweepCursorsTable {
  company_id: number;
  realm_id: string;
  /** QBO's own time of the last complete sweep: the next one asks CDC for changes since then. */
  changed_since: IsoTime | null;
  last_sweep_at: IsoTime | null;
  sweeps: ColumnType<number, number | undefined, number>;
}

export interface SyncTables {
  qbo_invoice_states: QboInvoiceStatesTable;
  qbo_webhook_inbox: QboWebhookInboxTable;
  qbo_sweep_cursors: QboSweepCursorsTable;
}

export type QboInvoiceState = Selectable<QboInvoiceStatesTable>;
export type WebhookInboxRow = Selectable<QboWebhookInboxTable>;
export type SweepCursor = Selectable<QboSweepCursorsTable>;
