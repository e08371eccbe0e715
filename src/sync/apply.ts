import type { Logger } from '../config/logger.ts';
import type { Db } from '../store/db.ts';
import { saveInvoiceState, transferredByQboIds } from '../store/sync/invoice-states.ts';
import { select, type EntityOf, type Invoice, type Payment, type QboClient } from '../qbo/index.ts';
import { decideQboStatus, money, qboTimeToIso } from './invoice-status.ts';

/** One company's connection to one realm, and the client to read it with. */
export interface SyncScope {
  db: Db;
  client: QboClient;
  companyId: number;
  companyCode: string;
  realmId: string;
  logger: Logger;
}

/** Payment Id → TxnDate, for the last payment date of the invoices they pay. */
export type PaymentDates = Map<string, string>;

const IN_CHUNK = 200;

/** Reads the dates of payments not known yet (a deleted payment simply is not found). */
async function fillPaymentDates(scope: SyncScope, ids: readonly string[], dates: PaymentDates): Promise<void> {
  const missing = ids.filter((id) => !dates.has(id));
  if (missing.length === 0) return;
  for (const p of (await readPayments(scope, missing)).values()) if (p.TxnDate) dates.set(p.Id, p.TxnDate);
}

const paymentIdsOf = (invoice: Invoice): string[] => (invoice.LinkedTxn ?? []).filter((l) => l.TxnType === 'Payment').map((l) => l.TxnId);

/**
 * Stores what these QBO invoice records (read, from CDC, or deleted stubs) say about the company's transferred
 * invoices; records of invoices the ERP did not export are ignored. Returns how many states changed.
 */
export async function applyInvoiceRecords(scope: SyncScope, records: readonly Invoice[], paymentDates: PaymentDates = new Map()): Promise<number> {
  if (records.length === 0) return 0;
  const ours = await transferredByQboIds(scope.db.kysely, scope.companyId, scope.realmId, records.map((r) => r.Id));
  const relevant = records.filter((r) => ours.has(r.Id));
  await fillPaymentDates(scope, relevant.flatMap(paymentIdsOf), paymentDates);
  const now = new Date();
  let changes = 0;
  for (const record of relevant) {
    const target = ours.get(record.Id);
    if (!target) continue;
    const known = target.state;
    const decision = decideQboStatus(record, known?.total ?? null);
    const deleted = decision.status === 'deleted';
    const dates = paymentIdsOf(record).map((id) => paymentDates.get(id)).filter((d): d is string => d !== undefined).sort();
    const changed = await saveInvoiceState(scope.db.kysely, {
      sales_invoice_id: target.salesInvoiceId,
      company_id: scope.companyId,
      realm_id: scope.realmId,
      qbo_invoice_id: record.Id,
      status: decision.status,
      // A deleted invoice's stub carries no amounts: keep the last ones known.
      balance: deleted ? known?.balance ?? '0.00' : money(record.Balance ?? record.TotalAmt),
      total: deleted ? known?.total ?? '0.00' : money(record.TotalAmt),
      last_payment_date: deleted ? known?.last_payment_date ?? null : dates.at(-1) ?? null,
      qbo_updated_at: qboTimeToIso(record.MetaData?.LastUpdatedTime, now),
    }, now);
    if (changed) {
      changes++;
      scope.logger.debug({ invoiceNo: target.invoiceNo, qboInvoiceId: record.Id, status: decision.status, reason: decision.reason }, 'QuickBooks state changed');
    }
  }
  return changes;
}

/** Reads records by id, up to 200 per query (a burst of notifications names many); those QBO no longer has are absent. */
async function readByIds<E extends 'Invoice' | 'Payment'>(scope: SyncScope, entity: E, ids: readonly string[]): Promise<Map<string, EntityOf<E>>> {
  const wanted = [...new Set(ids)];
  const found = new Map<string, EntityOf<E>>();
  for (let i = 0; i < wanted.length; i += IN_CHUNK) {
    for (const r of await scope.client.queryAll(select(entity).where('Id', 'IN', wanted.slice(i, i + IN_CHUNK)))) found.set(r.Id, r);
  }
  return found;
}

/** Reads invoices by id; one that QBO no longer has is read as deleted. */
export async function readInvoices(scope: SyncScope, ids: readonly string[]): Promise<Invoice[]> {
  const found = await readByIds(scope, 'Invoice', ids);
  return [...new Set(ids)].map((id) => found.get(id) ?? { Id: id, status: 'Deleted' });
}

/** Reads payments by id; a payment QBO no longer has is absent from the answer. */
export function readPayments(scope: SyncScope, ids: readonly string[]): Promise<Map<string, Payment>> {
  return readByIds(scope, 'Payment', ids);
}
