import { qboIdsIn, type Books } from './qbo-ids.ts';
import type { Queryable } from './queryable.ts';
import { toExportCustomer, toExportInvoiceLine, type ExportCustomer, type ExportInvoiceLine, type LineRow } from './app-types.ts';

/**
 * What an invoice and a credit memo read alike for the exporter: their customers with the customers' QBO ids in
 * the books read for, and their lines grouped by document. One query each, for a whole page (no N+1).
 */
export interface DocumentCustomers {
  /** The document's customer; throws when it is missing (the foreign key guarantees it: a miss is a bug). */
  of(document: string, customerId: number): ExportCustomer;
  /** The customer's QBO id in these books, null while not matched or added there. */
  qboId(customerId: number): string | null;
}

export async function documentCustomers(db: Queryable, books: Books, customerIds: readonly number[]): Promise<DocumentCustomers> {
  const unique = [...new Set(customerIds)];
  const rows = await db.selectFrom('customers').selectAll().where('id', 'in', unique).execute();
  const byId = new Map(rows.map((c) => [c.id, toExportCustomer(c)]));
  const qboIds = await qboIdsIn(db, books, 'customer', unique);
  return {
    of(document, customerId) {
      const customer = byId.get(customerId);
      if (!customer) throw new Error(`${document} names missing customer ${customerId}`);
      return customer;
    },
    qboId: (customerId) => qboIds.get(customerId) ?? null,
  };
}

/** Line rows (in document and line order) as app lines, by the id of their document. */
export function linesByDocument<R extends LineRow>(rows: readonly R[], documentOf: (row: R) => number): Map<number, ExportInvoiceLine[]> {
  const byDocument = new Map<number, ExportInvoiceLine[]>();
  for (const row of rows) {
    const id = documentOf(row);
    const list = byDocument.get(id);
    if (list) list.push(toExportInvoiceLine(row));
    else byDocument.set(id, [toExportInvoiceLine(row)]);
  }
  return byDocument;
}
