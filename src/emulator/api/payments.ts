import Big from 'big.js';
import type { Realm, Row } from '../realm.ts';
import { companyDate, faults, type QboFault, asText } from '../wire.ts';
import { decimal, fail, ok, referable, refValue, text, wireNumber, withoutUndefined, type Built, type WriteContext } from './context.ts';
import { applyBalance } from './transactions.ts';

/**
 * Payment (Intuit's Payment entity page): received money applied to open transactions through
 * `Line[].LinkedTxn`. One payment may cover several invoices, each fully or partly; what is not applied
 * is `UnappliedAmt`. Every applied line lowers the target's open amount and adds the payment to the
 * target's own `LinkedTxn`, as QBO keeps both sides of the link.
 */

/**
 * What a payment line may link to: invoices (money received), and credit memos (issue 16: a credit applied on a
 * payment, usually a Payment of 0 whose lines apply the same amount to an invoice and to the memo — QuickBooks'
 * way of applying a credit). The memo's `RemainingCredit` and `Balance` go down together and it counts against
 * `TotalAmt`.
 */
export interface LinkTarget {
  /** The entity whose rows the `TxnId` names. */
  entity: string;
  /** The open amount on that row, lowered by what the payment applies. */
  openField: string;
  /** +1: money received against the target (adds to TotalAmt); -1: a credit used up (subtracts). */
  sign: 1 | -1;
  /** Other open amounts of the row that QBO moves with `openField` (a credit memo's Balance). */
  alsoFields?: readonly string[];
}

export const LINK_TARGETS: Record<string, LinkTarget> = {
  Invoice: { entity: 'Invoice', openField: 'Balance', sign: 1 },
  CreditMemo: { entity: 'CreditMemo', openField: 'RemainingCredit', sign: -1, alsoFields: ['Balance'] },
};

interface Applied {
  txnType: string;
  txnId: string;
  amount: Big;
}

/** Every (target, amount) pair a stored payment applies; zero amounts link nothing. */
export function appliedLinks(payment: Row | null): Applied[] {
  const out: Applied[] = [];
  for (const line of (payment?.Line as Row[] | undefined) ?? []) {
    const amount = decimal(line.Amount) ?? new Big(0);
    for (const link of (line.LinkedTxn as Row[] | undefined) ?? []) {
      if (amount.eq(0)) continue;
      out.push({ txnType: asText(link.TxnType), txnId: asText(link.TxnId), amount });
    }
  }
  return out;
}

/** What `existing` (the payment being updated) already applies to one target: available again on update. */
function alreadyApplied(existing: Row | null, txnType: string, txnId: string): Big {
  return appliedLinks(existing)
    .filter((a) => a.txnType === txnType && a.txnId === txnId)
    .reduce((sum, a) => sum.plus(a.amount), new Big(0));
}

function buildLine(ctx: WriteContext, raw: Row, index: number, customerId: string, existing: Row | null, used: Map<string, Big>): { line: Row; signed: Big } | { fault: QboFault } {
  const amount = decimal(raw.Amount);
  if (amount === undefined) return { fault: faults.required(`Line[${index}].Amount`, 'Amount') };
  if (amount.lt(0)) return { fault: faults.business(`Line[${index}].Amount can not be negative.`, 'Amount') };
  const links = raw.LinkedTxn;
  if (!Array.isArray(links) || links.length !== 1) return { fault: faults.required(`Line[${index}].LinkedTxn`, 'LinkedTxn') };
  const link = links[0] as Row;
  const txnType = text(link.TxnType);
  const txnId = text(link.TxnId);
  if (txnId === undefined || txnType === undefined) return { fault: faults.required(`Line[${index}].LinkedTxn.TxnId`, 'LinkedTxn') };
  const target = LINK_TARGETS[txnType];
  if (!target) return { fault: faults.business(`A payment can not be linked to a ${txnType}.`, 'LinkedTxn') };
  const row = ctx.realm.entities.get(target.entity)?.get(txnId);
  if (!row) return { fault: faults.invalidReference(`Invalid Reference Id : ${txnType} ${txnId} does not exist.`, 'LinkedTxn') };
  if (refValue(row.CustomerRef) !== customerId) {
    return { fault: faults.business(`${txnType} ${txnId} belongs to another customer than the payment.`, 'LinkedTxn') };
  }
  const key = `${txnType}:${txnId}`;
  const open = (decimal(row[target.openField]) ?? new Big(0)).plus(alreadyApplied(existing, txnType, txnId));
  const total = (used.get(key) ?? new Big(0)).plus(amount);
  if (total.gt(open)) {
    return { fault: faults.business(`The amount applied to ${txnType} ${txnId} (${total.toFixed(2)}) is more than its open balance (${open.toFixed(2)}).`, 'Amount') };
  }
  used.set(key, total);
  const line: Row = {
    Amount: wireNumber(amount),
    LinkedTxn: [{ TxnId: txnId, TxnType: txnType }],
    // QBO echoes the target's number and open balance in LineEx (Payment entity page sample).
    LineEx: { any: [
      { name: '{http://schema.intuit.com/finance/v3}NameValue', declaredType: 'com.intuit.schema.finance.v3.NameValue', value: { Name: 'txnId', Value: txnId } },
      { name: '{http://schema.intuit.com/finance/v3}NameValue', declaredType: 'com.intuit.schema.finance.v3.NameValue', value: { Name: 'txnOpenBalance', Value: open.toFixed(2) } },
      { name: '{http://schema.intuit.com/finance/v3}NameValue', declaredType: 'com.intuit.schema.finance.v3.NameValue', value: { Name: 'txnReferenceNumber', Value: asText(row.DocNumber ?? '') } },
    ] },
  };
  return { line, signed: amount.times(target.sign) };
}

export function buildPayment(ctx: WriteContext, input: Row, existing: Row | null): Built {
  const customerId = refValue(input.CustomerRef);
  if (customerId === undefined) return fail(faults.required('CustomerRef', 'CustomerRef'));
  const customer = referable(ctx, 'Customer', customerId);
  if (!customer) return fail(faults.invalidReference(undefined, 'CustomerRef'));
  const totalAmt = decimal(input.TotalAmt);
  if (totalAmt === undefined) return fail(faults.required('TotalAmt', 'TotalAmt'));
  if (totalAmt.lt(0)) return fail(faults.business('TotalAmt can not be negative.', 'TotalAmt'));
  const rawLines = Array.isArray(input.Line) ? (input.Line as Row[]) : [];
  const lines: Row[] = [];
  const used = new Map<string, Big>();
  let applied = new Big(0);
  for (const [index, raw] of rawLines.entries()) {
    const built = buildLine(ctx, raw, index, customerId, existing, used);
    if ('fault' in built) return fail(built.fault);
    lines.push(built.line);
    applied = applied.plus(built.signed);
  }
  if (applied.gt(totalAmt)) {
    return fail(faults.business(`The payment applies ${applied.toFixed(2)}, more than its TotalAmt ${totalAmt.toFixed(2)}.`, 'TotalAmt'));
  }
  const txnDate = text(input.TxnDate) ?? text(existing?.TxnDate) ?? companyDate(ctx.now);
  return ok(withoutUndefined({
    ...input,
    CustomerRef: { value: customerId, name: asText(customer.DisplayName) },
    DepositToAccountRef: input.DepositToAccountRef ?? { value: '4' },
    TotalAmt: wireNumber(totalAmt),
    UnappliedAmt: wireNumber(totalAmt.minus(applied)),
    ProcessPayment: false,
    TxnDate: txnDate,
    CurrencyRef: { value: 'USD', name: 'United States Dollar' },
    Line: lines,
  }));
}

/** A voided payment keeps its links' shape but applies nothing (its targets are open again). */
export function voidedPayment(row: Row): Row {
  const lines = ((row.Line as Row[] | undefined) ?? []).map((l) => ({ ...l, Amount: 0 }));
  const note = text(row.PrivateNote);
  return { ...row, Line: lines, TotalAmt: 0, UnappliedAmt: 0, PrivateNote: note ? `Voided - ${note}` : 'Voided' };
}

/**
 * Moves the targets of a payment from what `before` applied to what `after` applies: open amounts,
 * both sides' LinkedTxn, the targets' SyncToken and LastUpdatedTime (QBO bumps both when a payment
 * changes an invoice's balance), and the customer's balance.
 */
export function applyPaymentLinks(realm: Realm, paymentId: string, before: Row | null, after: Row | null, touchTarget: (row: Row) => void, touchCustomer: (row: Row) => void): void {
  const delta = new Map<string, Big>();
  for (const a of appliedLinks(before)) delta.set(`${a.txnType}:${a.txnId}`, (delta.get(`${a.txnType}:${a.txnId}`) ?? new Big(0)).minus(a.amount));
  for (const a of appliedLinks(after)) delta.set(`${a.txnType}:${a.txnId}`, (delta.get(`${a.txnType}:${a.txnId}`) ?? new Big(0)).plus(a.amount));
  const linkedAfter = new Set(appliedLinks(after).map((a) => `${a.txnType}:${a.txnId}`));
  const linkedBefore = new Set(appliedLinks(before).map((a) => `${a.txnType}:${a.txnId}`));
  for (const [key, change] of delta) {
    // A re-saved payment that applies the same amounts leaves its targets untouched.
    if (change.eq(0) && linkedAfter.has(key) === linkedBefore.has(key)) continue;
    const [txnType = '', txnId = ''] = key.split(':');
    const target = LINK_TARGETS[txnType];
    const rows = target ? realm.entities.get(target.entity) : undefined;
    const old = rows?.get(txnId);
    if (!target || !rows || !old) continue;
    const others = ((old.LinkedTxn as Row[] | undefined) ?? []).filter((l) => !(l.TxnType === 'Payment' && asText(l.TxnId) === paymentId));
    const links = linkedAfter.has(key) ? [...others, { TxnId: paymentId, TxnType: 'Payment' }] : others;
    const next: Row = { ...old, LinkedTxn: links };
    for (const field of [target.openField, ...(target.alsoFields ?? [])]) next[field] = wireNumber((decimal(old[field]) ?? new Big(0)).minus(change));
    touchTarget(next);
    rows.set(txnId, next);
    applyBalance(realm, target.entity, old, next, touchCustomer);
  }
}

/** QBO refuses to delete or void a transaction that payments are applied to until they are removed. */
export function linkedPaymentFault(entity: string, row: Row): QboFault | null {
  const payments = ((row.LinkedTxn as Row[] | undefined) ?? []).filter((l) => l.TxnType === 'Payment');
  if (payments.length === 0) return null;
  const ids = payments.map((l) => asText(l.TxnId)).join(', ');
  return faults.business(`This ${entity} has payments applied to it (Payment ${ids}). Delete or change those payments first.`);
}
