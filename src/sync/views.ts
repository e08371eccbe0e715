import type { InvoiceWithQboState } from '../store/sync/invoice-states.ts';
import type { QboStatus } from '../store/sync/tables.ts';

/** One invoice as `invoices --json`, the REST API and the CSV give it (docs/design.md contract; money as text). */
export interface InvoiceStateJson {
  invoiceNo: string;
  transferred: boolean;
  qboInvoiceId: string | null;
  qboStatus: QboStatus | null;
  qboBalance: string | null;
  qboTotal: string | null;
  lastPaymentDate: string | null;
}

export function invoiceStateJson(row: InvoiceWithQboState): InvoiceStateJson {
  return {
    invoiceNo: row.invoiceNo,
    transferred: row.transferred,
    qboInvoiceId: row.qboInvoiceId,
    // The contract: qboStatus null when never transferred (or exported and not read back yet).
    qboStatus: row.transferred ? row.qboStatus : null,
    qboBalance: row.transferred ? row.qboBalance : null,
    qboTotal: row.transferred ? row.qboTotal : null,
    lastPaymentDate: row.transferred ? row.lastPaymentDate : null,
  };
}

const CSV_COLUMNS: ReadonlyArray<keyof InvoiceStateJson> = ['invoiceNo', 'transferred', 'qboInvoiceId', 'qboStatus', 'qboBalance', 'qboTotal', 'lastPaymentDate'];

function csvCell(value: string | boolean | null): string {
  const text = value === null ? '' : String(value);
  // Quote what needs it, and defuse cells a spreadsheet would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The same rows as CSV for spreadsheets: a header line, then one line per invoice (CRLF, as RFC 4180). */
export function invoiceStatesCsv(rows: readonly InvoiceStateJson[]): string {
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}
