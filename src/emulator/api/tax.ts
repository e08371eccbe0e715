import Big from 'big.js';
import type { Realm, Row } from '../realm.ts';
import { MISSING_LINE_TAX_CODE, US_COMPANY_STATE, US_STATE_RATES } from '../tax-tables.ts';
import { faults, type QboFault, validationFault } from '../wire.ts';
import { activeRow, decimal, refValue, text, wireNumber } from './context.ts';

/**
 * Sales tax on sales transactions, by the realm's kind (Intuit: "Manage sales tax for US locales" and
 * "… for non-US locales"; the emulator's model where Intuit is silent is in src/emulator/README.md).
 * Money is big.js throughout; every tax amount is rounded half-up to the cent per tax rate (per TaxLine),
 * not per document line, as QuickBooks shows it.
 */

/** A counted sales line as tax needs it: its tax code and amount. */
export interface TaxedLine {
  code: string;
  amount: Big;
}

export type TaxResult = { ok: true; detail: Row; totalTax: Big; inclusive: boolean } | { ok: false; fault: QboFault };

const GLOBAL_TAX = ['TaxExcluded', 'TaxInclusive', 'NotApplicable'];

/** The TaxCodeRef a sales line gets, or the fault QBO answers for it. */
export function lineTaxCode(realm: Realm, detail: Row): { code: string } | { fault: QboFault } {
  const sent = refValue(detail.TaxCodeRef);
  const country = realm.kind.country;
  if (country === 'US') {
    // US lines only say taxable or not; the rate comes from the transaction (or from AST).
    if (sent === undefined) return { code: 'NON' };
    if (sent !== 'TAX' && sent !== 'NON') {
      return {
        fault: validationFault('6100', 'Invalid Line TaxCode in the request', `Valid line TaxCodes for US should be TAX or NON. Supplied value: ${sent}`,
          'Line.SalesItemLineDetail.TaxCodeRef'),
      };
    }
    return { code: sent };
  }
  if (sent === undefined) return { fault: faults.business(MISSING_LINE_TAX_CODE[country]) };
  if (!activeRow(realm, 'TaxCode', sent)) return { fault: faults.invalidReference(undefined, 'TaxCodeRef') };
  return { code: sent };
}

/** The rate (percent) and TaxRate Id behind a non-US tax code: its first sales rate. */
function codeRate(realm: Realm, codeId: string): { rateId: string; percent: Big } {
  const code = realm.entities.get('TaxCode')?.get(codeId);
  const details = ((code?.SalesTaxRateList as Row | undefined)?.TaxRateDetail as Row[] | undefined) ?? [];
  const rateId = refValue(details[0]?.TaxRateRef) ?? '';
  const rate = realm.entities.get('TaxRate')?.get(rateId);
  return { rateId, percent: decimal(rate?.RateValue) ?? new Big(0) };
}

function cents(b: Big): Big {
  return b.round(2, Big.roundHalfUp);
}

function taxLine(amount: Big, percent: Big, net: Big, rateId?: string): Row {
  const detail: Row = { PercentBased: true, TaxPercent: wireNumber(percent), NetAmountTaxable: wireNumber(net) };
  if (rateId !== undefined) detail.TaxRateRef = { value: rateId };
  return { Amount: wireNumber(amount), DetailType: 'TaxLineDetail', TaxLineDetail: detail };
}

/** With ApplyTaxAfterDiscount the discount lowers each tax base in proportion; without, tax is on the lines. */
function discountFactor(input: Row, subtotal: Big, discount: Big): Big {
  if (input.ApplyTaxAfterDiscount !== true || discount.eq(0) || subtotal.eq(0)) return new Big(1);
  return subtotal.minus(discount).div(subtotal);
}

/** AST: the state of the ship-to address, else the bill-to address, else the company's own state. */
function astState(shipAddr: unknown, billAddr: unknown): string {
  for (const addr of [shipAddr, billAddr]) {
    const code = typeof addr === 'object' && addr !== null ? text((addr as Row).CountrySubDivisionCode)?.trim().toUpperCase() : undefined;
    if (code !== undefined && Object.hasOwn(US_STATE_RATES, code)) return code;
  }
  return US_COMPANY_STATE;
}

function usTax(realm: Realm, input: Row, lines: readonly TaxedLine[], factor: Big, addrs: { ship: unknown; bill: unknown }): TaxResult {
  const sent = (input.TxnTaxDetail ?? {}) as Row;
  const sentCode = refValue(sent.TxnTaxCodeRef);
  const sentTotal = decimal(sent.TotalTax);
  const base = cents(lines.filter((l) => l.code === 'TAX').reduce((s, l) => s.plus(l.amount), new Big(0)).times(factor));
  if (sentCode !== undefined && (sentCode === 'TAX' || sentCode === 'NON' || !activeRow(realm, 'TaxCode', sentCode))) {
    return { ok: false, fault: faults.invalidReference(undefined, 'TxnTaxCodeRef') };
  }
  if (sentCode !== undefined && sentTotal !== undefined) {
    // The documented override: a TotalTax sent WITH a TxnTaxCodeRef is kept (AST and manual tax alike).
    const total = cents(sentTotal);
    return { ok: true, totalTax: total, inclusive: false, detail: { TxnTaxCodeRef: { value: sentCode }, TotalTax: wireNumber(total) } };
  }
  if (realm.kind.automatedSalesTax) {
    // AST ignores a TotalTax sent without a TxnTaxCodeRef and computes its own (the harsher, reported behaviour).
    const state = astState(addrs.ship, addrs.bill);
    const percent = new Big(US_STATE_RATES[state] ?? '0');
    const total = cents(base.times(percent).div(100));
    return { ok: true, totalTax: total, inclusive: false, detail: { TotalTax: wireNumber(total), TaxLine: [taxLine(total, percent, base)] } };
  }
  if (sentCode === undefined) return { ok: true, totalTax: new Big(0), inclusive: false, detail: { TotalTax: 0 } };
  const { rateId, percent } = codeRate(realm, sentCode);
  const total = cents(base.times(percent).div(100));
  return {
    ok: true, totalTax: total, inclusive: false,
    detail: { TxnTaxCodeRef: { value: sentCode }, TotalTax: wireNumber(total), TaxLine: [taxLine(total, percent, base, rateId)] },
  };
}

/** Tax amounts sent per TaxRate in TxnTaxDetail.TaxLine (the ERP's own figures), kept as sent. */
function sentRateAmounts(input: Row): Map<string, Big> {
  const out = new Map<string, Big>();
  const lines = ((input.TxnTaxDetail as Row | undefined)?.TaxLine as Row[] | undefined) ?? [];
  for (const l of Array.isArray(lines) ? lines : []) {
    const id = refValue((l.TaxLineDetail as Row | undefined)?.TaxRateRef);
    const amount = decimal(l.Amount);
    if (id !== undefined && amount !== undefined) out.set(id, amount);
  }
  return out;
}

function globalTax(realm: Realm, input: Row, lines: readonly TaxedLine[], factor: Big): TaxResult {
  const mode = text(input.GlobalTaxCalculation) ?? 'TaxExcluded';
  if (!GLOBAL_TAX.includes(mode)) {
    return { ok: false, fault: faults.invalidProperty(`Cannot deserialize value of type \`GlobalTaxCalculationEnum\` from String "${mode}" (property "GlobalTaxCalculation")\n`) };
  }
  if (mode === 'NotApplicable') return { ok: true, totalTax: new Big(0), inclusive: false, detail: { TotalTax: 0, TaxLine: [] } };
  const inclusive = mode === 'TaxInclusive';
  const groups = new Map<string, { percent: Big; gross: Big }>();
  for (const l of lines) {
    const { rateId, percent } = codeRate(realm, l.code);
    const g = groups.get(rateId) ?? { percent, gross: new Big(0) };
    g.gross = g.gross.plus(l.amount);
    groups.set(rateId, g);
  }
  const sent = sentRateAmounts(input);
  for (const id of sent.keys()) {
    if (!groups.has(id)) return { ok: false, fault: faults.business(`The tax rate ${id} in TxnTaxDetail is not used on any line of this transaction.`, 'TxnTaxDetail') };
  }
  let total = new Big(0);
  const taxLines: Row[] = [];
  for (const [rateId, g] of [...groups].sort(([a], [b]) => Number(a) - Number(b))) {
    const base = cents(g.gross.times(factor));
    const computed = inclusive ? cents(base.times(g.percent).div(g.percent.plus(100))) : cents(base.times(g.percent).div(100));
    const tax = sent.has(rateId) ? cents(sent.get(rateId) as Big) : computed;
    total = total.plus(tax);
    taxLines.push(taxLine(tax, g.percent, inclusive ? base.minus(tax) : base, rateId));
  }
  return { ok: true, totalTax: total, inclusive, detail: { TotalTax: wireNumber(total), TaxLine: taxLines } };
}

/**
 * The transaction's TxnTaxDetail and total tax. `inclusive`: the line amounts already hold the tax
 * (GlobalTaxCalculation TaxInclusive), so TotalAmt does not add it again.
 */
export function computeTax(
  realm: Realm, input: Row, lines: readonly TaxedLine[], totals: { subtotal: Big; discount: Big }, addrs: { ship: unknown; bill: unknown },
): TaxResult {
  const factor = discountFactor(input, totals.subtotal, totals.discount);
  return realm.kind.country === 'US' ? usTax(realm, input, lines, factor, addrs) : globalTax(realm, input, lines, factor);
}
