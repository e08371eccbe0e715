import Big from 'big.js';

/**
 * What kind of QuickBooks company a realm is (DESIGN.md "Realm kinds"): its country decides the sales-tax
 * model (US: TAX/NON lines, optionally automated sales tax; CA/GB/AU: a tax code on every line), and
 * multi-currency decides whether transactions may be in another currency than the home currency.
 */
export type Country = 'US' | 'CA' | 'GB' | 'AU';

export interface RealmKind {
  country: Country;
  automatedSalesTax: boolean;
  multiCurrency: boolean;
  homeCurrency: string;
}

export const DEFAULT_REALM_KIND: RealmKind = Object.freeze({ country: 'US', automatedSalesTax: false, multiCurrency: false, homeCurrency: 'USD' });

/**
 * The currencies the emulator knows, with a FIXED value in US dollars per unit. QBO fills in its own daily rate
 * when a foreign-currency transaction comes without `ExchangeRate`; the emulator uses these instead, so tests
 * can predict it: rate(foreign → home) = usdPerUnit(foreign) ÷ usdPerUnit(home), rounded half-up to 6 places.
 */
export const CURRENCIES: Readonly<Record<string, { name: string; usdPerUnit: string }>> = {
  USD: { name: 'United States Dollar', usdPerUnit: '1' },
  EUR: { name: 'Euro', usdPerUnit: '1.08' },
  GBP: { name: 'British Pound Sterling', usdPerUnit: '1.27' },
  CAD: { name: 'Canadian Dollar', usdPerUnit: '0.73' },
  AUD: { name: 'Australian Dollar', usdPerUnit: '0.66' },
  NZD: { name: 'New Zealand Dollar', usdPerUnit: '0.6' },
  CHF: { name: 'Swiss Franc', usdPerUnit: '1.13' },
  JPY: { name: 'Japanese Yen', usdPerUnit: '0.0067' },
  MXN: { name: 'Mexican Peso', usdPerUnit: '0.055' },
};

export function currencyRef(code: string): { value: string; name: string } {
  return { value: code, name: CURRENCIES[code]?.name ?? code };
}

/** Home-currency units per one unit of `foreign` (QBO's ExchangeRate direction). */
export function defaultExchangeRate(foreign: string, home: string): Big {
  const f = CURRENCIES[foreign];
  const h = CURRENCIES[home];
  if (!f || !h) return new Big(1);
  return new Big(f.usdPerUnit).div(h.usdPerUnit).round(6, Big.roundHalfUp);
}

const COUNTRIES: readonly Country[] = ['US', 'CA', 'GB', 'AU'];
const HOME_BY_COUNTRY: Record<Country, string> = { US: 'USD', CA: 'CAD', GB: 'GBP', AU: 'AUD' };

/**
 * Reads the realm kind fields of `POST /_emulator/realms`. `homeCurrency` defaults to the country's currency
 * (USD for the default US realm); automated sales tax exists only in US companies.
 */
export function parseRealmKind(body: Record<string, unknown>): { ok: true; kind: RealmKind } | { ok: false; error: string } {
  const country = body.country ?? 'US';
  if (typeof country !== 'string' || !COUNTRIES.includes(country as Country)) return { ok: false, error: `country must be one of ${COUNTRIES.join(', ')}` };
  for (const flag of ['automatedSalesTax', 'multiCurrency'] as const) {
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean') return { ok: false, error: `${flag} must be true or false` };
  }
  const automatedSalesTax = body.automatedSalesTax === true;
  if (automatedSalesTax && country !== 'US') return { ok: false, error: 'automatedSalesTax exists only for US companies' };
  const home = body.homeCurrency ?? HOME_BY_COUNTRY[country as Country];
  if (typeof home !== 'string' || !Object.hasOwn(CURRENCIES, home)) {
    return { ok: false, error: `homeCurrency must be one of ${Object.keys(CURRENCIES).join(', ')}` };
  }
  return { ok: true, kind: { country: country as Country, automatedSalesTax, multiCurrency: body.multiCurrency === true, homeCurrency: home } };
}
