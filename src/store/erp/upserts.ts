import { sql } from 'kysely';
import type { DbHandle, TxHandle } from '../db.ts';
import { bulkInsert, setFromExcluded, type BulkColumn } from './bulk.ts';
import { setQboIds } from './qbo-ids.ts';
import { nowIso } from './queryable.ts';
import type { CustomerRecord, InvoiceLineRecord, InvoiceRecord, ProductRecord } from './records.ts';

/** Batched upserts by natural key: one statement per chunk of rows (see bulk.ts). */
const rowsPerStatement = 1000;

function chunks<T>(items: readonly T[], size = rowsPerStatement): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const text = (name: string): BulkColumn => ({ name, type: 'text' });
const integer = (name: string): BulkColumn => ({ name, type: 'integer' });

const customerColumns = [
  text('customer_no'), text('name'), text('email'), text('phone'), text('bill_line1'), text('bill_line2'), text('bill_city'),
  text('bill_region'), text('bill_postal_code'), text('bill_country'), integer('active'), text('currency'), text('updated_at'),
];

/** Upserts customers by customerNo and stores the QBO ids they carry; returns customerNo → id. Ids not given are kept. */
export async function upsertCustomers(db: DbHandle, records: readonly CustomerRecord[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const updatedAt = nowIso();
  const onConflict = sql`on conflict (customer_no) do update set ${setFromExcluded([
    'name', 'email', 'phone', 'bill_line1', 'bill_line2', 'bill_city', 'bill_region', 'bill_postal_code', 'bill_country', 'active', 'currency', 'updated_at',
  ])}
  returning id, customer_no`;
  for (const chunk of chunks(records)) {
    const rows = chunk.map((c) => [
      c.customerNo, c.name, c.email, c.phone, c.billingAddress?.line1 ?? null, c.billingAddress?.line2 ?? null,
      c.billingAddress?.city ?? null, c.billingAddress?.region ?? null, c.billingAddress?.postalCode ?? null,
      c.billingAddress?.country ?? null, c.active ? 1 : 0, c.currency ?? null, updatedAt,
    ]);
    const result = await bulkInsert<{ id: number; customer_no: string }>(db, 'customers', customerColumns, rows, onConflict);
    for (const row of result) ids.set(row.customer_no, Number(row.id));
  }
  await setQboIds(db.kysely, records.flatMap((c) => (c.qboIds ?? []).map((q) => ({ ...q, kind: 'customer' as const, recordId: ids.get(c.customerNo) as number }))));
  return ids;
}

const productColumns = [
  integer('company_id'), text('product_no'), text('description'), text('type'), text('unit_price'), text('updated_at'),
];

/** Upserts products by (company, productNo); returns `${companyId}\t${productNo}` → id. */
export async function upsertProducts(db: DbHandle, records: readonly ProductRecord[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const updatedAt = nowIso();
  const onConflict = sql`on conflict (company_id, product_no) do update set ${setFromExcluded(['description', 'type', 'unit_price', 'updated_at'])}
  returning id, company_id, product_no`;
  for (const chunk of chunks(records)) {
    const rows = chunk.map((p) => [p.companyId, p.productNo, p.description, p.type, p.unitPrice, updatedAt]);
    const result = await bulkInsert<{ id: number; company_id: number; product_no: string }>(db, 'products', productColumns, rows, onConflict);
    for (const row of result) {
      ids.set(productKey(Number(row.company_id), row.product_no), Number(row.id));
    }
  }
  await setQboIds(db.kysely, records.flatMap((p) => (p.qboIds ?? []).map((q) => ({ ...q, kind: 'product' as const, recordId: ids.get(productKey(p.companyId, p.productNo)) as number }))));
  return ids;
}

export function productKey(companyId: number, productNo: string): string {
  return `${companyId}\t${productNo}`;
}

export function invoiceKey(companyId: number, invoiceNo: string): string {
  return `${companyId}\t${invoiceNo}`;
}

const invoiceUpdated = [
  'customer_id', 'invoice_date', 'due_date', 'customer_po', 'status', 'transferred', 'transferred_at', 'qbo_invoice_id', 'qbo_realm_id',
  'freight', 'handling', 'packaging', 'order_discount', 'currency', 'tax_amount', 'exchange_rate', 'ship_line1', 'ship_line2', 'ship_city',
  'ship_region', 'ship_postal_code', 'ship_country', 'updated_at',
];
const invoiceColumns = [
  integer('company_id'), text('invoice_no'), integer('customer_id'), text('invoice_date'), text('due_date'), text('customer_po'),
  text('status'), integer('transferred'), text('transferred_at'), text('qbo_invoice_id'), text('qbo_realm_id'), text('freight'), text('handling'),
  text('packaging'), text('order_discount'), text('currency'), text('tax_amount'), text('exchange_rate'), text('ship_line1'), text('ship_line2'),
  text('ship_city'), text('ship_region'), text('ship_postal_code'), text('ship_country'), text('updated_at'),
];

/**
 * Upserts invoices by (company, invoiceNo) and replaces the lines of those that carry lines. A transferred
 * invoice is never changed: the caller refuses it beforehand (import), and the conflict clause guards the race.
 * Returns `${companyId}\t${invoiceNo}` → id of every invoice written.
 */
export async function upsertInvoices(
  trx: TxHandle,
  records: readonly InvoiceRecord[],
  options: { existingKeys?: ReadonlySet<string> } = {},
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const updatedAt = nowIso();
  const onConflict = sql`on conflict (company_id, invoice_no) do update set ${setFromExcluded(invoiceUpdated)}
  where sales_invoices.transferred = 0
  returning id, company_id, invoice_no`;
  for (const chunk of chunks(records)) {
    const rows = chunk.map((i) => [
      i.companyId, i.invoiceNo, i.customerId, i.invoiceDate, i.dueDate, i.customerPo, i.status, i.transferred ? 1 : 0,
      i.transferredAt, i.qboInvoiceId, i.qboRealmId ?? null, i.freight, i.handling, i.packaging, i.orderDiscount, i.currency,
      i.taxAmount ?? null, i.exchangeRate ?? null, ...shipTo(i), updatedAt,
    ]);
    const result = await bulkInsert<{ id: number; company_id: number; invoice_no: string }>(trx, 'sales_invoices', invoiceColumns, rows, onConflict);
    const existingIds = new Set<number>();
    for (const row of result) {
      const key = invoiceKey(Number(row.company_id), row.invoice_no);
      ids.set(key, Number(row.id));
      if (options.existingKeys?.has(key)) existingIds.add(Number(row.id));
    }
    await replaceInvoiceLines(
      trx,
      chunk.flatMap((i) => {
        if (i.lines === undefined) return [];
        const invoiceId = ids.get(invoiceKey(i.companyId, i.invoiceNo));
        if (invoiceId === undefined) throw new Error(`Invoice ${i.invoiceNo} is transferred and cannot be replaced`);
        return [{ invoiceId, lines: i.lines }];
      }),
      // An invoice that did not exist before this upsert has no lines to delete (the import knows which).
      options.existingKeys ? (invoiceId) => existingIds.has(invoiceId) : undefined,
    );
  }
  return ids;
}

function shipTo(i: InvoiceRecord): Array<string | null> {
  const a = i.shipToAddress;
  return [a?.line1 ?? null, a?.line2 ?? null, a?.city ?? null, a?.region ?? null, a?.postalCode ?? null, a?.country ?? null];
}

const lineColumns = [
  integer('invoice_id'), integer('line_no'), integer('product_id'), text('charge'), text('qbo_item_name'), text('qty'),
  text('unit_price'), text('description'), integer('taxable'), text('tax_code'),
];

/** Replaces all lines of each invoice (line_no 1…n in the given order). */
export async function replaceInvoiceLines(
  trx: TxHandle,
  invoices: ReadonlyArray<{ invoiceId: number; lines: readonly InvoiceLineRecord[] }>,
  mayHaveLines: (invoiceId: number) => boolean = () => true,
): Promise<void> {
  if (invoices.length === 0) return;
  for (const chunk of chunks(invoices.map((i) => i.invoiceId).filter(mayHaveLines))) {
    await trx.kysely.deleteFrom('invoice_lines').where('invoice_id', 'in', chunk).execute();
  }
  const rows = invoices.flatMap(({ invoiceId, lines }) =>
    lines.map((l, index) => [
      invoiceId, index + 1, l.productId, l.charge, l.qboItemName, l.qty, l.unitPrice, l.description,
      l.taxable === undefined || l.taxable === null ? null : l.taxable ? 1 : 0, l.taxCode ?? null,
    ]),
  );
  for (const chunk of chunks(rows)) await bulkInsert(trx, 'invoice_lines', lineColumns, chunk);
}
