import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { nowIso, type Queryable } from '../erp/queryable.ts';
import { QBO_STATUSES, type QboInvoiceState, type QboStatus } from './tables.ts';

/** A transferred ERP invoice that a QBO invoice id points to. */
export interface TransferredInvoice {
  salesInvoiceId: number;
  invoiceNo: string;
  qboInvoiceId: string;
  state: QboInvoiceState | null;
}

/** The company's transferred invoices among these QBO ids, with their last known QBO state. */
export async function transferredByQboIds(db: Queryable, companyId: number, realmId: string, qboIds: readonly string[]): Promise<Map<string, TransferredInvoice>> {
  const out = new Map<string, TransferredInvoice>();
  for (let i = 0; i < qboIds.length; i += 500) {
    const chunk = qboIds.slice(i, i + 500);
    const rows = await db
      .selectFrom('sales_invoices as i')
      .leftJoin('qbo_invoice_states as s', 's.sales_invoice_id', 'i.id')
      .select(['i.id as salesInvoiceId', 'i.invoice_no as invoiceNo', 'i.qbo_invoice_id as qboInvoiceId'])
      .selectAll('s')
      .where('i.company_id', '=', companyId)
      .where('i.transferred', '=', 1)
      // QBO ids are numbered per QuickBooks company: only invoices transferred to this realm's books (issue 12).
      .where('i.qbo_realm_id', '=', realmId)
      .where('i.qbo_invoice_id', 'in', chunk)
      .execute();
    for (const r of rows) {
      if (r.qboInvoiceId === null) continue;
      const state = r.sales_invoice_id === null ? null : (r as unknown as QboInvoiceState);
      out.set(r.qboInvoiceId, { salesInvoiceId: r.salesInvoiceId, invoiceNo: r.invoiceNo, qboInvoiceId: r.qboInvoiceId, state });
    }
  }
  return out;
}

/**
 * The company's invoices transferred to the realm, by id, a page after `afterId`; `withoutStateOnly`: those with no QBO state yet
 * (exported before the flow back, or never seen changing).
 */
export async function transferredInvoicePage(db: Queryable, companyId: number, realmId: string, afterId: number, limit: number, withoutStateOnly: boolean): Promise<Array<{ id: number; qboInvoiceId: string }>> {
  let query = db
    .selectFrom('sales_invoices as i')
    .leftJoin('qbo_invoice_states as s', 's.sales_invoice_id', 'i.id')
    .select(['i.id as id', 'i.qbo_invoice_id as qboInvoiceId'])
    .where('i.company_id', '=', companyId)
    .where('i.transferred', '=', 1)
    .where('i.qbo_realm_id', '=', realmId)
    .where('i.qbo_invoice_id', 'is not', null)
    .where('i.id', '>', afterId)
    .orderBy('i.id')
    .limit(limit);
  if (withoutStateOnly) query = query.where('s.sales_invoice_id', 'is', null);
  const rows = await query.execute();
  return rows.map((r) => ({ id: r.id, qboInvoiceId: r.qboInvoiceId ?? '' }));
}

export type NewInvoiceState = Omit<QboInvoiceState, 'synced_at'>;

/**
 * Stores a reading of an invoice's QBO state unless a newer one is already stored (notifications arrive
 * out of order). True when something a user sees changed.
 */
export async function saveInvoiceState(db: Queryable, next: NewInvoiceState, at: Date = new Date()): Promise<boolean> {
  const before = await db.selectFrom('qbo_invoice_states').selectAll().where('sales_invoice_id', '=', next.sales_invoice_id).executeTakeFirst();
  if (before && before.qbo_updated_at > next.qbo_updated_at) return false;
  const same = before !== undefined && before.status === next.status && before.balance === next.balance && before.total === next.total
    && before.last_payment_date === next.last_payment_date && before.qbo_invoice_id === next.qbo_invoice_id;
  const row = { ...next, synced_at: nowIso(at) };
  await db
    .insertInto('qbo_invoice_states')
    .values(row)
    .onConflict((oc) =>
      oc.column('sales_invoice_id').doUpdateSet({
        realm_id: row.realm_id, qbo_invoice_id: row.qbo_invoice_id, status: row.status, balance: row.balance, total: row.total,
        last_payment_date: row.last_payment_date, qbo_updated_at: row.qbo_updated_at, synced_at: row.synced_at,
      }).where('qbo_invoice_states.qbo_updated_at', '<=', row.qbo_updated_at),
    )
    .execute();
  return !same;
}

export type StatusCounts = Record<QboStatus, number>;

export async function statusCounts(db: Queryable, companyId: number): Promise<StatusCounts> {
  const rows = await db
    .selectFrom('qbo_invoice_states')
    .select(['status', sql<number>`count(*)`.as('n')])
    .where('company_id', '=', companyId)
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(QBO_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const r of rows) if (r.status in counts) counts[r.status] = Number(r.n);
  return counts;
}

export interface InvoiceWithQboState {
  id: number;
  invoiceNo: string;
  invoiceDate: string;
  customerNo: string;
  customerName: string;
  transferred: boolean;
  transferredAt: string | null;
  qboInvoiceId: string | null;
  qboStatus: QboStatus | null;
  qboBalance: string | null;
  qboTotal: string | null;
  lastPaymentDate: string | null;
  syncedAt: string | null;
}

export interface InvoiceListFilter {
  qboStatus?: QboStatus;
  limit?: number;
  afterId?: number;
}

/** The company's ERP invoices with their QBO state, id order; never-transferred ones have no state. */
export async function listInvoicesWithState(db: Queryable, companyId: number, filter: InvoiceListFilter = {}): Promise<InvoiceWithQboState[]> {
  let query = db
    .selectFrom('sales_invoices as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .leftJoin('qbo_invoice_states as s', 's.sales_invoice_id', 'i.id')
    .select([
      'i.id as id', 'i.invoice_no as invoiceNo', 'i.invoice_date as invoiceDate', 'c.customer_no as customerNo', 'c.name as customerName',
      'i.transferred as transferred', 'i.transferred_at as transferredAt', 'i.qbo_invoice_id as qboInvoiceId', 's.status as qboStatus',
      's.balance as qboBalance', 's.total as qboTotal', 's.last_payment_date as lastPaymentDate', 's.synced_at as syncedAt',
    ])
    .where('i.company_id', '=', companyId)
    .orderBy('i.id');
  if (filter.qboStatus) query = query.where('s.status', '=', filter.qboStatus);
  if (filter.afterId !== undefined) query = query.where('i.id', '>', filter.afterId);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, transferred: r.transferred === 1 }));
}

/**
 * The explicit "export again" of an invoice voided or deleted in QuickBooks: it is no longer transferred, its
 * QBO id and state are gone, so the next export creates it anew (its exactly-once intent is `done`, so that
 * create gets a new requestid and is not answered with the old invoice). Only in the caller's
 * transaction; false when the invoice is not voided or deleted in QBO (nothing is changed then).
 */
export async function clearTransferredForReexport(trx: Transaction<Database>, salesInvoiceId: number): Promise<boolean> {
  const state = await trx.selectFrom('qbo_invoice_states').select(['status']).where('sales_invoice_id', '=', salesInvoiceId).executeTakeFirst();
  if (!state || (state.status !== 'voided' && state.status !== 'deleted')) return false;
  await trx.deleteFrom('qbo_invoice_states').where('sales_invoice_id', '=', salesInvoiceId).execute();
  await trx
    .updateTable('sales_invoices')
    .set({ transferred: 0, transferred_at: null, qbo_invoice_id: null, updated_at: nowIso() })
    .where('id', '=', salesInvoiceId)
    .execute();
  return true;
}
