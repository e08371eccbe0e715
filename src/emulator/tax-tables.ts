import type { Country } from './realm-kind.ts';

/**
 * Standard sales tax codes of a new QuickBooks company per country, named as QuickBooks names them
 * (Intuit: "Manage sales tax for non-US locales"; QuickBooks Canada GST/HST, UK VAT and Australia GST set-ups).
 * Each code has one sales rate; the TaxRate rows carry the same names. Ids are fixed so tests can name them.
 */
export interface StandardTaxCode {
  codeId: string;
  rateId: string;
  name: string;
  description: string;
  /** Percent, decimal text. */
  rate: string;
  taxable: boolean;
}

export const STANDARD_TAX_CODES: Readonly<Record<Exclude<Country, 'US'>, readonly StandardTaxCode[]>> = {
  CA: [
    { codeId: '3', rateId: '3', name: 'GST', description: 'GST', rate: '5', taxable: true },
    { codeId: '4', rateId: '4', name: 'HST ON', description: 'HST Ontario', rate: '13', taxable: true },
    { codeId: '5', rateId: '5', name: 'Exempt', description: 'Exempt', rate: '0', taxable: false },
    { codeId: '6', rateId: '6', name: 'Zero-rated', description: 'Zero-rated', rate: '0', taxable: true },
  ],
  GB: [
    { codeId: '3', rateId: '3', name: '20.0% S', description: 'Standard rated 20%', rate: '20', taxable: true },
    { codeId: '4', rateId: '4', name: '5.0% R', description: 'Reduced rated 5%', rate: '5', taxable: true },
    { codeId: '5', rateId: '5', name: '0.0% Z', description: 'Zero rated', rate: '0', taxable: true },
    { codeId: '6', rateId: '6', name: 'Exempt', description: 'Exempt', rate: '0', taxable: false },
  ],
  AU: [
    { codeId: '3', rateId: '3', name: 'GST', description: 'GST 10%', rate: '10', taxable: true },
    { codeId: '4', rateId: '4', name: 'GST free', description: 'GST free', rate: '0', taxable: false },
  ],
};

/**
 * What QBO answers when a line of a non-US company has no TaxCodeRef: fault 6000 with this sentence
 * (CA and GB as reported from real companies in public issue trackers; AU by analogy with them).
 */
export const MISSING_LINE_TAX_CODE: Readonly<Record<Exclude<Country, 'US'>, string>> = {
  CA: 'Make sure all your transactions have a GST/HST rate before you save.',
  GB: 'Make sure all your transactions have a VAT rate before you save.',
  AU: 'Make sure all your transactions have a GST rate before you save.',
};

/**
 * The emulator's automated-sales-tax rates: each state's base sales tax rate in percent (no county or city
 * taxes), fixed so that tests can predict the tax. Real AST uses the full address; this is a documented stand-in.
 * States without a sales tax (AK, DE, MT, NH, OR) are 0.
 */
export const US_STATE_RATES: Readonly<Record<string, string>> = {
  AL: '4', AK: '0', AZ: '5.6', AR: '6.5', CA: '7.25', CO: '2.9', CT: '6.35', DE: '0', DC: '6', FL: '6',
  GA: '4', HI: '4', ID: '6', IL: '6.25', IN: '7', IA: '6', KS: '6.5', KY: '6', LA: '4.45', ME: '5.5',
  MD: '6', MA: '6.25', MI: '6', MN: '6.875', MS: '7', MO: '4.225', MT: '0', NE: '5.5', NV: '6.85', NH: '0',
  NJ: '6.625', NM: '4.875', NY: '4', NC: '4.75', ND: '5', OH: '5.75', OK: '4.5', OR: '0', PA: '6', RI: '7',
  SC: '6', SD: '4.2', TN: '7', TX: '6.25', UT: '6.1', VT: '6', VA: '5.3', WA: '6.5', WV: '6', WI: '5', WY: '4',
};

/** The company's own state (its address in the seed): AST falls back to it when a sale has no address. */
export const US_COMPANY_STATE = 'CA';
