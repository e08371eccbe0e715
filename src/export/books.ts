import { Big } from 'big.js';
import { select } from '../qbo/query.ts';
import type { QboClient } from '../qbo/types.ts';
import { nameKey } from './names.ts';

/**
 * What kind of books the connected QuickBooks company keeps, read ONCE per run (Preferences, CompanyInfo, tax
 * codes and rates, currencies): its country decides the tax model, TaxPrefs.PartnerTaxEnabled says automated
 * sales tax, CurrencyPrefs the home currency and multi-currency (Intuit: "Manage sales tax for US locales",
 * "… for non-US locales", "Manage multiple currencies"; docs/qbo-behaviour.md).
 */
export interface TaxCodeInfo {
  id: string;
  name: string;
  /** Non-US: the code's sales rate (TaxRate Id and percent); null when the code names none. */
  rate: { id: string; percent: Big } | null;
}

export interface BooksKind {
  country: string;
  automatedSalesTax: boolean;
  multiCurrency: boolean;
  homeCurrency: string;
  /** Active tax codes by `nameKey(Name)`. */
  taxCodes: ReadonlyMap<string, TaxCodeInfo>;
  /** Multi-currency: the codes in the company's currency list (home included). */
  currencies: ReadonlySet<string>;
}

const perClient = new WeakMap<QboClient, Promise<BooksKind>>();

/** The books of the run's QuickBooks company; the run's client is one per run, so this reads once per run. */
export function booksKindOf(client: QboClient): Promise<BooksKind> {
  let books = perClient.get(client);
  if (!books) {
    books = readBooks(client);
    perClient.set(client, books);
    // A failed read (e.g. a 401) is not kept: the next call tries again.
    books.catch(() => perClient.delete(client));
  }
  return books;
}

async function readBooks(client: QboClient): Promise<BooksKind> {
  const [prefs, info] = [await client.preferences(), await client.companyInfo()];
  const country = (info.Country ?? 'US').toUpperCase();
  const homeCurrency = prefs.CurrencyPrefs?.HomeCurrency?.value ?? 'USD';
  const multiCurrency = prefs.CurrencyPrefs?.MultiCurrencyEnabled === true;
  const codes = await client.queryAll(select('TaxCode'));
  const rates = country === 'US' ? [] : await client.queryAll(select('TaxRate'));
  const percentById = new Map(rates.map((r) => [r.Id, new Big(r.RateValue ?? '0')]));
  const taxCodes = new Map<string, TaxCodeInfo>();
  for (const c of codes) {
    if (c.Active === false) continue;
    const rateId = c.SalesTaxRateList?.TaxRateDetail?.[0]?.TaxRateRef?.value;
    const percent = rateId !== undefined ? percentById.get(rateId) : undefined;
    taxCodes.set(nameKey(c.Name), { id: c.Id, name: c.Name, rate: rateId !== undefined && percent ? { id: rateId, percent } : null });
  }
  const currencies = new Set([homeCurrency]);
  if (multiCurrency) for (const c of await client.queryAll(select('CompanyCurrency'))) if (c.Active !== false) currencies.add(c.Code);
  return { country, automatedSalesTax: prefs.TaxPrefs?.PartnerTaxEnabled === true, multiCurrency, homeCurrency, taxCodes, currencies };
}
