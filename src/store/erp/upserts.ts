import type { Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { nowIso, type Queryable } from './queryable.ts';
import type { CustomerRecord, InvoiceLineRecord, InvoiceRecord, ProductRecord } from './records.ts';

/**
 * Batched upserts by natural key: one multi-row statement per chunk. Chunks stay far below SQLite's
 * 32,766 and PostgreSQL's 65,535 bound-parameter limits.
 */
const maxRowsPerStatement = 400;

function chunks<T>(items: readonly T[], size = maxRowsPerStatement): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Upserts customers by customerNo; returns customerNo → id. A null QBO id never overwrites a stored one. */
export async function upsertCustomers(db: Queryable, records: readonly CustomerRecord[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const updatedAt = nowIso();
  for (const chunk of chunks(records)) {
    const rows = await db
      .insertInto('customers')
      .values(chunk.map((c) => ({
        customer_no: c.customerNo,
        name: c.name,
        email: c.email,
        phone: c.phone,
        bill_line1: c.billingAddress?.line1 ?? null,
        bill_line2: c.billingAddress?.line2 ?? null,
        bill_city: c.billingAddress?.city ?? null,
        bill_region: c.billingAddress?.region ?? null,
        bill_postal_code: c.billingAddress?.postalCode ?? null,
        bill_country: c.billingAddress?.country ?? null,
        financial_system_customer_id: c.financialSystemCustomerId ?? null,
        secondary_customer_id: c.secondaryCustomerId ?? null,
        active: c.active ? 1 : 0,
        updated_at: updatedAt,
      })))
      .onConflict((oc) =>
        oc.column('customer_no').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          email: eb.ref('excluded.email'),
          phone: eb.ref('excluded.phone'),
          bill_line1: eb.ref('excluded.bill_line1'),
          bill_line2: eb.ref('excluded.bill_line2'),
          bill_city: eb.ref('excluded.bill_city'),
          bill_region: eb.ref('excluded.bill_region'),
          bill_postal_code: eb.ref('excluded.bill_postal_code'),
          bill_country: eb.ref('excluded.bill_country'),
          financial_system_customer_id: eb.fn.coalesce('excluded.financial_system_customer_id', 'customers.financial_system_customer_id'),
          secondary_customer_id: eb.fn.coalesce('excluded.secondary_customer_id', 'customers.secondary_customer_id'),
          active: eb.ref('excluded.active'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returning(['id', 'customer_no'])
      .execute();
    for (const row of rows) ids.set(row.customer_no, row.id);
  }
  return ids;
}

/** Upserts products by (company, productNo); returns `${companyId}\t${productNo}` → id. */
export async function upsertProducts(db: Queryable, records: readonly ProductRecord[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const updatedAt = nowIso();
  for (const chunk of chunks(records)) {
    const rows = await db
      .insertInto('products')
      .values(chunk.map((p) => ({
        company_id: p.companyId,
        product_no: p.productNo,
        description: p.description,
        type: p.type,
        unit_price: p.unitPrice,
        financial_system_product_id: p.financialSystemProductId ?? null,
        updated_at: updatedAt,
      })))
      .onConflict((oc) =>
        oc.columns(['company_id', 'product_no']).doUpdateSet((eb) => ({
          description: eb.ref('excluded.description'),
          type: eb.ref('excluded.type'),
          unit_price: eb.ref('excluded.unit_price'),
          financial_system_product_id: eb.fn.coalesce('excluded.financial_system_product_id', 'products.financial_system_product_id'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returning(['id', 'company_id', 'product_no'])
      .execute();
    for (const row of rows) ids.set(productKey(row.company_id, row.product_no), row.id);
  }
  return ids;
}

export function productKey(companyId: number, productNo: string): string {
  return `${companyId}\t${productNo}`;
}

export function invoiceKey(companyId: number, invoiceNo: string): string {
  return `${companyId}\t${invoiceNo}`;
}

/**
 * Upserts invoices by (company, invoiceNo) and replaces the lines of those that carry lines. A transferred
 * invoice is never changed: the caller refuses it beforehand (import), and the conflict clause guards the race.
 * Returns `${companyId}\t${invoiceNo}` → id of every invoice written.
 */
export async function upsertInvoices(trx: Transaction<Database>, records: readonly InvoiceRecord[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const updatedAt = nowIso();
  for (const chunk of chunks(records, 250)) {
    const rows = await trx
      .insertInto('sales_invoices')
      .values(chunk.map((i) => ({
        company_id: i.companyId,
        invoice_no: i.invoiceNo,
        customer_id: i.customerId,
        invoice_date: i.invoiceDate,
        due_date: i.dueDate,
        customer_po: i.customerPo,
        status: i.status,
        transferred: i.transferred ? 1 : 0,
        transferred_at: i.transferredAt,
        qbo_invoice_id: i.qboInvoiceId,
        freight: i.freight,
        handling: i.handling,
        packaging: i.packaging,
        order_discount: i.orderDiscount,
        currency: i.currency,
        updated_at: updatedAt,
      } as const)))
      .onConflict((oc) =>
        oc
          .columns(['company_id', 'invoice_no'])
          .doUpdateSet((eb) => ({
            customer_id: eb.ref('excluded.customer_id'),
            invoice_date: eb.ref('excluded.invoice_date'),
            due_date: eb.ref('excluded.due_date'),
            customer_po: eb.ref('excluded.customer_po'),
            status: eb.ref('excluded.status'),
            transferred: eb.ref('excluded.transferred'),
            transferred_at: eb.ref('excluded.transferred_at'),
            qbo_invoice_id: eb.ref('excluded.qbo_invoice_id'),
            freight: eb.ref('excluded.freight'),
            handling: eb.ref('excluded.handling'),
            packaging: eb.ref('excluded.packaging'),
            order_discount: eb.ref('excluded.order_discount'),
            currency: eb.ref('excluded.currency'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where('sales_invoices.transferred', '=', 0),
      )
      .returning(['id', 'company_id', 'invoice_no'])
      .execute();
    for (const row of rows) ids.set(invoiceKey(row.company_id, row.invoice_no), row.id);
    await replaceInvoiceLines(
      trx,
      chunk.flatMap((i) => {
        if (i.lines === undefined) return [];
        const invoiceId = ids.get(invoiceKey(i.companyId, i.invoiceNo));
        if (invoiceId === undefined) throw new Error(`Invoice ${i.invoiceNo} is transferred and cannot be replaced`);
        return [{ invoiceId, lines: i.lines }];
      }),
    );
  }
  return ids;
}

/** Replaces all lines of each invoice (line_no 1…n in the given order). */
export async function replaceInvoiceLines(
  trx: Transaction<Database>,
  invoices: ReadonlyArray<{ invoiceId: number; lines: readonly InvoiceLineRecord[] }>,
): Promise<void> {
  if (invoices.length === 0) return;
  for (const chunk of chunks(invoices.map((i) => i.invoiceId), 1000)) {
    await trx.deleteFrom('invoice_lines').where('invoice_id', 'in', chunk).execute();
  }
  const rows = invoices.flatMap(({ invoiceId, lines }) =>
    lines.map((line, index) => ({
      invoice_id: invoiceId,
      line_no: index + 1,
      product_id: line.productId,
      charge: line.charge,
      qbo_item_name: line.qboItemName,
      qty: line.qty,
      unit_price: line.unitPrice,
      description: line.description,
    })),
  );
  for (const chunk of chunks(rows)) await trx.insertInto('invoice_lines').values(chunk).execute();
}
