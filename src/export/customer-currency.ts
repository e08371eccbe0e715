import { select } from '../qbo/query.ts';
import type { BooksKind } from './books.ts';
import type { RunContext } from './run-context.ts';

/**
 * The currency each invoice customer has IN QUICKBOOKS (multi-currency books): it is fixed there once set, and an
 * invoice must be in it. Read by Id, 30 per query, once per customer per run.
 */
const perRun = new WeakMap<RunContext, Map<string, string>>();

export async function customerCurrencies(rc: RunContext, books: BooksKind, qboIds: Iterable<string>): Promise<ReadonlyMap<string, string>> {
  let known = perRun.get(rc);
  if (!known) perRun.set(rc, (known = new Map<string, string>()));
  if (!books.multiCurrency) return known;
  const wanted = [...new Set(qboIds)].filter((id) => /^\d+$/.test(id) && !known.has(id));
  for (let i = 0; i < wanted.length; i += 30) {
    const ids = wanted.slice(i, i + 30);
    const rows = await rc.client.query(select('Customer').where('Id', 'IN', ids).where('Active', 'IN', [true, false]).maxResults(1000));
    for (const row of rows) known.set(row.Id, row.CurrencyRef?.value ?? books.homeCurrency);
  }
  return known;
}
