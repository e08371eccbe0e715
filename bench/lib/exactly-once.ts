import type { Db } from '../../src/store/db.ts';

/** What QBO (the emulator) holds against what the ERP says was exported: the soak's pass/fail figures. */
export interface ExactlyOnceReport {
  erpInvoices: number;
  qboInvoices: number;
  /** DocNumbers present more than once in QBO. */
  duplicates: string[];
  /** Approved ERP invoices with no QBO invoice of that DocNumber. */
  missing: string[];
  /** ERP invoices not marked transferred, or marked without the QBO Id. */
  unmarked: string[];
  /** ERP invoices whose stored QBO Id is not the QBO invoice of their DocNumber. */
  wrongId: string[];
  /** Customer DisplayNames / Item Names present more than once in QBO (case-insensitive, as QBO compares). */
  duplicateCustomers: string[];
  duplicateItems: string[];
}

interface QboRow {
  Id: string;
  DocNumber?: string;
  DisplayName?: string;
  Name?: string;
}

export async function listEmulatorRows(emulatorUrl: string, realmId: string, entity: string): Promise<QboRow[]> {
  const res = await fetch(`${emulatorUrl}/_emulator/realms/${realmId}/entities/${entity}`);
  if (!res.ok) throw new Error(`listing ${entity} in the emulator → ${res.status}`);
  const body = (await res.json()) as { rows: QboRow[] };
  return body.rows;
}

function duplicatesOf(keys: Iterable<string>): string[] {
  const seen = new Map<string, number>();
  for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}

export async function checkExactlyOnce(db: Db, companyId: number, emulatorUrl: string, realmId: string): Promise<ExactlyOnceReport> {
  const erp = await db.kysely
    .selectFrom('sales_invoices')
    .select(['invoice_no', 'transferred', 'qbo_invoice_id'])
    .where('company_id', '=', companyId)
    .where('status', '=', 'approved')
    .execute();
  const invoices = await listEmulatorRows(emulatorUrl, realmId, 'Invoice');
  const ours = new Set(erp.map((r) => r.invoice_no));
  const qboByDoc = new Map<string, string[]>();
  for (const row of invoices) {
    if (row.DocNumber === undefined || !ours.has(row.DocNumber)) continue;
    qboByDoc.set(row.DocNumber, [...(qboByDoc.get(row.DocNumber) ?? []), row.Id]);
  }
  const customers = await listEmulatorRows(emulatorUrl, realmId, 'Customer');
  const items = await listEmulatorRows(emulatorUrl, realmId, 'Item');
  return {
    erpInvoices: erp.length,
    qboInvoices: [...qboByDoc.values()].reduce((n, ids) => n + ids.length, 0),
    duplicates: [...qboByDoc].filter(([, ids]) => ids.length > 1).map(([doc]) => doc),
    missing: erp.filter((r) => !qboByDoc.has(r.invoice_no)).map((r) => r.invoice_no),
    unmarked: erp.filter((r) => r.transferred !== 1 || !r.qbo_invoice_id).map((r) => r.invoice_no),
    wrongId: erp.filter((r) => r.qbo_invoice_id && !(qboByDoc.get(r.invoice_no) ?? []).includes(r.qbo_invoice_id)).map((r) => r.invoice_no),
    duplicateCustomers: duplicatesOf(customers.map((c) => (c.DisplayName ?? '').toLowerCase())),
    duplicateItems: duplicatesOf(items.map((i) => (i.Name ?? '').toLowerCase())),
  };
}

export function exactlyOnceHolds(r: ExactlyOnceReport): boolean {
  return r.duplicates.length === 0 && r.missing.length === 0 && r.unmarked.length === 0 && r.wrongId.length === 0
    && r.duplicateCustomers.length === 0 && r.duplicateItems.length === 0;
}

export function summarizeExactlyOnce(r: ExactlyOnceReport): string {
  return `${r.qboInvoices}/${r.erpInvoices} in QBO, ${r.duplicates.length} duplicates, ${r.missing.length} missing, ${r.unmarked.length} unmarked, ${r.wrongId.length} wrong ids, `
    + `${r.duplicateCustomers.length} duplicate customers, ${r.duplicateItems.length} duplicate items`;
}

/** The report for results files: counts and the first few keys, not 100,000 invoice numbers. */
export function compactReport(r: ExactlyOnceReport): Record<string, number | { count: number; first: string[] }> {
  const list = (items: string[]) => ({ count: items.length, first: items.slice(0, 10) });
  return {
    erpInvoices: r.erpInvoices, qboInvoices: r.qboInvoices, duplicates: list(r.duplicates), missing: list(r.missing), unmarked: list(r.unmarked),
    wrongId: list(r.wrongId), duplicateCustomers: list(r.duplicateCustomers), duplicateItems: list(r.duplicateItems),
  };
}
