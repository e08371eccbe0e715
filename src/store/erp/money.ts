import { Big } from 'big.js';
import type { DecimalString, SalesInvoice } from './tables.ts';

/**
 * Exact decimal arithmetic for money and quantities (never JS floats). QBO checks
 * `Amount = round-half-up(Qty × UnitPrice, 2)` on every sales line, so this is the one place that computes it.
 */
export function lineAmount(qty: DecimalString, unitPrice: DecimalString): DecimalString {
  return new Big(qty).times(new Big(unitPrice)).round(2, Big.roundHalfUp).toFixed(2);
}

/** Σ lineAmount over the lines: the invoice total QBO will compute (header charges are not lines, see the seed). */
export function invoiceTotal(
  _invoice: Pick<SalesInvoice, 'id'> | null,
  lines: ReadonlyArray<{ qty: DecimalString; unitPrice: DecimalString }>,
): DecimalString {
  let total = new Big(0);
  for (const line of lines) total = total.plus(lineAmount(line.qty, line.unitPrice));
  return total.toFixed(2);
}

export interface HeaderCharges {
  freight: DecimalString;
  handling: DecimalString;
  packaging: DecimalString;
  orderDiscount: DecimalString;
}

/** The invoice header charges, normalised to two decimals. The seed does not pass them to QBO by default. */
export function headerCharges(invoice: Pick<SalesInvoice, 'freight' | 'handling' | 'packaging' | 'order_discount'>): HeaderCharges {
  const two = (v: DecimalString) => new Big(v).toFixed(2);
  return {
    freight: two(invoice.freight),
    handling: two(invoice.handling),
    packaging: two(invoice.packaging),
    orderDiscount: two(invoice.order_discount),
  };
}

/** Canonical text of a decimal: no exponent, no superfluous zeros beyond what was given ("3", "12.50"). */
export function normalizeDecimal(value: string): DecimalString {
  return new Big(value).toFixed();
}
