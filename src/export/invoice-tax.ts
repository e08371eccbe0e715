import { Big } from 'big.js';
import type { CompanySettings } from '../store/erp/company-settings.ts';
import type { InvoiceWithLines } from '../store/erp/invoices.ts';
import type { BooksKind } from './books.ts';
import type { QboAddress, QboInvoicePayload, TaxLine } from './invoice-mapping.ts';
import { nameKey } from './names.ts';

/**
 * Sales tax and currency on a mapped invoice (issue 15), by the company's `salesTax` setting and the QuickBooks
 * books (books.ts). Pure: the same input gives the same payload, and every reason an invoice cannot go is a
 * problem phrase (a dry run shows them as "will fail: …"). Reused for any sales form with the same lines.
 *
 * - `qbo`: QuickBooks computes the tax. US lines are TAX/NON from the line's `taxable`; elsewhere each line gets the
 *   QuickBooks tax code its ERP `taxCode` maps to (`taxCodes` setting).
 * - `erp`: the ERP's `taxAmount` is billed exactly: US books send it as the total-tax override (TxnTaxCodeRef +
 *   TotalTax, Intuit's documented AST override); other books spread it over the lines' tax rates (TaxLine per rate).
 * - `none`: no tax information (before issue 15); non-US books then refuse the invoice, so it fails here first.
 */
export type SalesTaxMode = 'qbo' | 'erp' | 'none';

/** What the total check after the create compares (invoice-totals.ts). */
export interface TotalCheck {
  mode: SalesTaxMode;
  /** Lines − discount, as mapped. */
  linesTotal: string;
  /** erp: the tax billed; else null. */
  erpTax: string | null;
  currency: string;
}

export type TaxedInvoice = { ok: true; payload: QboInvoicePayload; check: TotalCheck } | { ok: false; problems: string[] };

export interface TaxContext {
  books: BooksKind;
  settings: Pick<CompanySettings, 'salesTax' | 'taxCodes'>;
  /** The invoice customer's currency in QuickBooks (multi-currency books); undefined when not known yet. */
  customerCurrency: string | undefined;
}

const cents = (b: Big): Big => b.round(2, Big.roundHalfUp);

function shipAddr(source: InvoiceWithLines): QboAddress | undefined {
  const ship = source.invoice.shipToAddress;
  const fields: Array<[keyof QboAddress, string | null]> = [
    ['Line1', ship.line1], ['Line2', ship.line2], ['City', ship.city], ['CountrySubDivisionCode', ship.region],
    ['PostalCode', ship.postalCode], ['Country', ship.country],
  ];
  const addr: QboAddress = {};
  for (const [k, v] of fields) if (v) addr[k] = v;
  return Object.keys(addr).length > 0 ? addr : undefined;
}

function currencyProblems(source: InvoiceWithLines, ctx: TaxContext, currency: string): string[] {
  const { books } = ctx;
  if (!books.multiCurrency) {
    return currency === books.homeCurrency ? [] : [
      `it is in ${currency}, but the QuickBooks company keeps its books in ${books.homeCurrency} only (multicurrency is off); turn on multicurrency in QuickBooks (Settings → Advanced → Currency) or invoice in ${books.homeCurrency}`,
    ];
  }
  const problems: string[] = [];
  if (!books.currencies.has(currency)) problems.push(`its currency ${currency} is not in the QuickBooks company's currency list; add ${currency} in QuickBooks (Settings → Currencies)`);
  const customerCurrency = ctx.customerCurrency ?? source.customer.currency ?? books.homeCurrency;
  if (customerCurrency !== currency) {
    problems.push(`it is in ${currency}, but customer ${source.customer.customerNo} is in ${customerCurrency} in QuickBooks, and QuickBooks invoices a customer only in its own currency (which cannot be changed); invoice it in ${customerCurrency}, or give it a separate ERP customer whose currency is ${currency}`);
  }
  return problems;
}

/** Non-US: the QuickBooks tax code of each ERP line, by the company's `taxCodes` mapping. */
function lineCodes(source: InvoiceWithLines, ctx: TaxContext, problems: string[]): Array<{ id: string; rateId: string | null; percent: Big } | null> {
  const map = ctx.settings.taxCodes ?? {};
  const known = [...ctx.books.taxCodes.values()].map((c) => c.name).join(', ');
  return source.lines.map((line) => {
    const at = `line ${line.lineNo}`;
    if (!line.taxCode) {
      problems.push(`${at} has no taxCode; QuickBooks (${ctx.books.country}) needs a tax code on every line: set taxCode on the line in the ERP`);
      return null;
    }
    const qboName = map[line.taxCode];
    if (qboName === undefined) {
      problems.push(`${at}: the ERP tax code "${line.taxCode}" has no QuickBooks tax code; add "${line.taxCode}" to the company's taxCodes setting (QuickBooks has: ${known})`);
      return null;
    }
    const code = ctx.books.taxCodes.get(nameKey(qboName));
    if (!code) {
      problems.push(`${at}: the taxCodes setting maps "${line.taxCode}" to "${qboName}", which is not an active QuickBooks tax code (QuickBooks has: ${known}); correct the setting`);
      return null;
    }
    return { id: code.id, rateId: code.rate?.id ?? null, percent: code.rate?.percent ?? new Big(0) };
  });
}

/**
 * The ERP's tax over the lines' rates, in proportion to what QuickBooks would compute per rate (or to the taxed
 * bases when that is 0), in whole cents with the remainders to the largest fractions, so the parts add up exactly.
 */
export function spreadTax(tax: Big, groups: ReadonlyArray<{ rateId: string; percent: Big; base: Big }>): TaxLine[] | null {
  const weights = groups.map((g) => cents(g.base.times(g.percent).div(100)));
  let total = weights.reduce((s, w) => s.plus(w), new Big(0));
  const use = total.gt(0) ? weights : groups.map((g) => (g.percent.gt(0) ? g.base : new Big(0)));
  total = use.reduce((s, w) => s.plus(w), new Big(0));
  if (total.eq(0)) return tax.eq(0) ? groups.map((g) => taxLine(g, new Big(0))) : null;
  const exact = use.map((w) => tax.times(w).div(total));
  const parts = exact.map((e) => e.round(2, Big.roundDown));
  let left = tax.minus(parts.reduce((s, p) => s.plus(p), new Big(0))).times(100).toNumber();
  const order = exact.map((e, i) => ({ i, frac: e.minus(parts[i] as Big) })).sort((a, b) => b.frac.cmp(a.frac));
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] as Big).plus('0.01');
    left--;
  }
  return groups.map((g, i) => taxLine(g, parts[i] as Big));
}

function taxLine(g: { rateId: string; percent: Big; base: Big }, amount: Big): TaxLine {
  return { Amount: amount, DetailType: 'TaxLineDetail', TaxLineDetail: { TaxRateRef: { value: g.rateId }, PercentBased: true, TaxPercent: g.percent, NetAmountTaxable: g.base } };
}

/** The US total-tax override needs a tax code to carry it: any active code but the line codes TAX and NON. */
function overrideCode(books: BooksKind): string | undefined {
  for (const c of books.taxCodes.values()) if (c.id !== 'TAX' && c.id !== 'NON') return c.id;
  return undefined;
}

export function applyTaxAndCurrency(mapped: QboInvoicePayload, linesTotal: string, source: InvoiceWithLines, ctx: TaxContext): TaxedInvoice {
  const mode: SalesTaxMode = ctx.settings.salesTax ?? 'qbo';
  const { books } = ctx;
  const payload: QboInvoicePayload = { ...mapped, Line: mapped.Line.map((l) => structuredCloneLine(l)) };
  const currency = source.invoice.currency ?? books.homeCurrency;
  const problems = currencyProblems(source, ctx, currency);
  if (books.multiCurrency) {
    payload.CurrencyRef = { value: currency };
    if (currency !== books.homeCurrency && source.invoice.exchangeRate) payload.ExchangeRate = new Big(source.invoice.exchangeRate);
  }
  const ship = shipAddr(source);
  if (ship) payload.ShipAddr = ship;

  let erpTax: Big | null = null;
  if (mode === 'erp') {
    if (source.invoice.taxAmount === null) problems.push('it has no taxAmount, and the company bills the ERP\'s tax (salesTax "erp"); import its taxAmount (0 when no tax is due)');
    else erpTax = cents(new Big(source.invoice.taxAmount));
  }
  if (books.country === 'US') {
    if (mode !== 'none') {
      source.lines.forEach((line, i) => {
        const l = payload.Line[i];
        if (line.taxable !== null && l?.DetailType === 'SalesItemLineDetail') l.SalesItemLineDetail.TaxCodeRef = { value: line.taxable ? 'TAX' : 'NON' };
      });
    }
    if (erpTax) {
      const code = overrideCode(books);
      if (code === undefined) problems.push('QuickBooks has no sales tax code to carry the ERP\'s tax amount; set up sales tax in QuickBooks');
      else payload.TxnTaxDetail = { TxnTaxCodeRef: { value: code }, TotalTax: erpTax };
    }
  } else if (mode === 'none') {
    problems.push(`the QuickBooks company (${books.country}) needs a tax code on every line, and the company's salesTax setting is "none"; set salesTax to "qbo" or "erp" and map the ERP tax codes in taxCodes`);
  } else {
    const codes = lineCodes(source, ctx, problems);
    const first = codes.find((c) => c !== null);
    const groups = new Map<string, { rateId: string; percent: Big; base: Big }>();
    payload.Line.forEach((l, i) => {
      if (l.DetailType !== 'SalesItemLineDetail') return;
      // Header charges (after the ERP lines) carry the tax code of the invoice's first line.
      const code = i < codes.length ? codes[i] : first;
      if (!code) return;
      l.SalesItemLineDetail.TaxCodeRef = { value: code.id };
      if (code.rateId === null) return;
      const g = groups.get(code.rateId) ?? { rateId: code.rateId, percent: code.percent, base: new Big(0) };
      g.base = g.base.plus(l.Amount);
      groups.set(code.rateId, g);
    });
    payload.GlobalTaxCalculation = 'TaxExcluded';
    if (erpTax && problems.length === 0) {
      const spread = spreadTax(erpTax, [...groups.values()]);
      if (spread) payload.TxnTaxDetail = { TaxLine: spread };
      else problems.push(`its taxAmount is ${erpTax.toFixed(2)}, but every line's QuickBooks tax code is 0 %; correct the tax codes or the tax amount`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, payload, check: { mode, linesTotal, erpTax: erpTax ? erpTax.toFixed(2) : null, currency } };
}

function structuredCloneLine<L extends QboInvoicePayload['Line'][number]>(line: L): L {
  return line.DetailType === 'SalesItemLineDetail' ? { ...line, SalesItemLineDetail: { ...line.SalesItemLineDetail } } : { ...line };
}
