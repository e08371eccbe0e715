import { CURRENCIES, currencyRef, type RealmKind } from './realm-kind.ts';
import { type Realm, type Row, reserveId, rowsOf, stamp } from './realm.ts';
import { STANDARD_TAX_CODES } from './tax-tables.ts';

/**
 * The parts of a new company that depend on its kind: tax codes and rates, the currency list, and the tax and
 * currency preferences. US companies get Intuit's sandbox template codes (TAX, NON, 2 "California" on TaxRate 3
 * at 8 %); CA, GB and AU companies get their country's standard codes (tax-tables.ts).
 */

function put(realm: Realm, entity: string, id: string, row: Row, now: number): void {
  rowsOf(realm, entity).set(id, stamp(row, id, now));
  reserveId(realm, entity, id);
}

function rateRow(name: string, description: string, rate: string, createdAt: string): Row {
  return {
    Name: name, Description: description, Active: true, RateValue: Number(rate), AgencyRef: { value: '1' }, SpecialTaxType: 'NONE',
    DisplayType: 'ReadOnly', EffectiveTaxRate: [{ RateValue: Number(rate), EffectiveDate: createdAt }],
  };
}

function codeRow(name: string, description: string, taxable: boolean, rate: { id: string; name: string } | null): Row {
  return {
    Name: name, Description: description, Active: true, Hidden: false, Taxable: taxable, TaxGroup: rate !== null,
    SalesTaxRateList: { TaxRateDetail: rate ? [{ TaxRateRef: { value: rate.id, name: rate.name }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 }] : [] },
    PurchaseTaxRateList: { TaxRateDetail: [] },
  };
}

export function seedTaxCodes(realm: Realm, now: number): void {
  const createdAt = new Date(realm.createdAt).toISOString().slice(0, 10);
  if (realm.kind.country === 'US') {
    const rows = rowsOf(realm, 'TaxCode');
    const base = { Active: true, Hidden: false, TaxGroup: false };
    rows.set('TAX', stamp({ ...base, Name: 'TAX', Description: 'TAX', Taxable: true }, 'TAX', now));
    rows.set('NON', stamp({ ...base, Name: 'NON', Description: 'NON', Taxable: false }, 'NON', now));
    put(realm, 'TaxRate', '3', rateRow('California', 'California state sales tax', '8', createdAt), now);
    put(realm, 'TaxCode', '2', codeRow('California', 'California', true, { id: '3', name: 'California' }), now);
    return;
  }
  for (const c of STANDARD_TAX_CODES[realm.kind.country]) {
    put(realm, 'TaxRate', c.rateId, rateRow(c.name, c.description, c.rate, createdAt), now);
    put(realm, 'TaxCode', c.codeId, { ...codeRow(c.name, c.description, c.taxable, { id: c.rateId, name: c.name }), TaxGroup: false }, now);
  }
}

/** QBO's currency list (`CompanyCurrency`, and the older `Currency` entity): the currencies other than home, multi-currency only. */
export function seedCurrencies(realm: Realm, now: number): void {
  if (!realm.kind.multiCurrency) return;
  let id = 1;
  for (const code of Object.keys(CURRENCIES)) {
    if (code === realm.kind.homeCurrency) continue;
    const { name } = currencyRef(code);
    put(realm, 'CompanyCurrency', String(id), { Code: code, Name: name, Active: true }, now);
    put(realm, 'Currency', String(id), { Code: code, Name: name, Active: true }, now);
    id++;
  }
}

/** Preferences.TaxPrefs and CurrencyPrefs as QBO reports them for this kind of company. */
export function kindPreferences(kind: RealmKind): Row {
  return {
    // PartnerTaxEnabled is QBO's flag for automated sales tax (US companies only).
    TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: kind.automatedSalesTax },
    CurrencyPrefs: { MultiCurrencyEnabled: kind.multiCurrency, HomeCurrency: { value: kind.homeCurrency } },
  };
}
