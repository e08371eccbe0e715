import { booksName } from '../qbo/index.ts';
import type { Db } from '../store/db.ts';
import { exportCounts } from '../store/erp/counts.ts';

export interface ConnectedBooks {
  readonly realmId: string;
  readonly companyName: string | null;
  /** The books before a reconnect to another realm; null when the books did not change. */
  readonly previous: { readonly realmId: string; readonly companyName: string | null } | null;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * What a connection means for the next export, in the user's words: which QuickBooks company, and — from the
 * seed's counts, which follow the books the company is connected to now — how many customers and products the next
 * export matches by name or adds there. After a reconnect to other books it names both companies.
 */
export async function connectedBooksText(db: Db, companyId: number, books: ConnectedBooks): Promise<string> {
  const counts = await exportCounts(db.kysely, companyId);
  const now = booksName(books.realmId, books.companyName);
  const work = `The next export matches by name or adds ${plural(counts.customerExportQty, 'customer')} and ${plural(counts.productExportQty, 'product')} in ${now}.`;
  if (!books.previous) return work;
  const before = booksName(books.previous.realmId, books.previous.companyName);
  return `This company now exports to other QuickBooks books: ${now}, no longer ${before}. ${work} Invoices already transferred to ${before} stay transferred there.`;
}
