import Big from 'big.js';
import type { Realm, Row } from '../realm.ts';
import { companyDate, faults, type QboFault, asText } from '../wire.ts';
import { decimal, referable, fail, ok, refValue, text, tooLong, wireNumber, withoutUndefined, type Built, type WriteContext } from './context.ts';
import { transactionCurrency } from './currency.ts';
import { computeTax, lineTaxCode, type TaxedLine } from './tax.ts';

/**
 * Sales transactions: Invoice, CreditMemo, SalesReceipt (docs/qbo-behaviour.md §6.4, §6.5). The server computes
 * line Ids, totals and the SubTotal line; a line's Amount must equal round-half-up(Qty × UnitPrice, 2).
 */
const CREW = [{ DefinitionId: '1', Name: 'Crew #', Type: 'StringType' }];
const SHIPPING_ITEM_ID = 'SHIPPING_ITEM_ID';

interface LineResult {
  lines: Row[];
  subtotal: Big;
  discount: Big;
  taxed: TaxedLine[];
}

type LineBuild = { ok: true; value: LineResult } | { ok: false; fault: QboFault };

function previousLineIds(existing: Row | null): { ids: Set<string>; max: number } {
  const ids = new Set<string>();
  let max = 0;
  for (const l of (existing?.Line as Row[] | undefined) ?? []) {
    if (l.Id === undefined) continue;
    ids.add(asText(l.Id));
    max = Math.max(max, Number(l.Id) || 0);
  }
  return { ids, max };
}

function salesLine(ctx: WriteContext, line: Row, index: number): { row: Row; amount: Big; taxCode: string } | { fault: QboFault } {
  const detail = (line.SalesItemLineDetail ?? {}) as Row;
  const itemId = refValue(detail.ItemRef);
  const out: Row = { ...detail };
  if (itemId === SHIPPING_ITEM_ID) {
    const prefs = ctx.realm.entities.get('Preferences')?.get('1')?.SalesFormsPrefs as Row | undefined;
    if (prefs?.AllowShipping !== true) return { fault: faults.invalidReference(undefined, 'ItemRef') };
    out.ItemRef = { value: SHIPPING_ITEM_ID, name: 'Shipping' };
  } else if (itemId !== undefined) {
    const item = referable(ctx, 'Item', itemId);
    if (!item) return { fault: faults.invalidReference(undefined, 'ItemRef') };
    if (item.Type === 'Category') return { fault: faults.invalidReference('Invalid Reference Id : Categories cannot be used in transactions.', 'ItemRef') };
    if (item.Type === 'Inventory' && detail.Qty === undefined) {
      return { fault: faults.inventoryQty() };
    }
    out.ItemRef = { value: itemId, name: asText(item.Name) };
  }
  const qty = decimal(detail.Qty);
  const unitPrice = decimal(detail.UnitPrice);
  let amount = decimal(line.Amount);
  const expected = qty && unitPrice ? qty.times(unitPrice).round(2, Big.roundHalfUp) : undefined;
  if (amount === undefined) {
    if (!expected) return { fault: faults.required(`Line[${index}].Amount`, 'Amount') };
    amount = expected;
  } else if (expected && !amount.eq(expected)) {
    return { fault: faults.amountMismatch(amount.toFixed()) };
  }
  amount = amount.round(2, Big.roundHalfUp);
  const tax = lineTaxCode(ctx.realm, detail);
  if ('fault' in tax) return tax;
  out.TaxCodeRef = { value: tax.code };
  if (qty) out.Qty = wireNumber(qty);
  if (unitPrice) out.UnitPrice = wireNumber(unitPrice);
  // A line without an item is documentation only: its Amount does not count (docs/qbo-behaviour.md §6.4).
  const counted = itemId !== undefined ? amount : new Big(0);
  return { row: { Amount: wireNumber(amount), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: out }, amount: counted, taxCode: tax.code };
}

function buildLines(ctx: WriteContext, input: unknown[], existing: Row | null): LineBuild {
  const previous = previousLineIds(existing);
  let nextId = previous.max;
  const lines: Row[] = [];
  const discounts: Array<{ row: Row; detail: Row; amount: Big | undefined }> = [];
  let subtotal = new Big(0);
  const taxed: TaxedLine[] = [];
  for (const [index, raw] of input.entries()) {
    const line = raw as Row;
    const type = text(line.DetailType);
    if (type === 'SubTotalLineDetail') continue;
    const id = line.Id !== undefined && previous.ids.has(asText(line.Id)) ? asText(line.Id) : asText(++nextId);
    const base: Row = { Id: id, LineNum: lines.length + 1 };
    if (line.Description !== undefined) base.Description = text(line.Description);
    if (type === 'SalesItemLineDetail') {
      const built = salesLine(ctx, line, index);
      if ('fault' in built) return { ok: false, fault: built.fault };
      subtotal = subtotal.plus(built.amount);
      taxed.push({ code: built.taxCode, amount: built.amount });
      lines.push({ ...base, ...built.row });
    } else if (type === 'DiscountLineDetail') {
      const detail = { ...((line.DiscountLineDetail ?? {}) as Row) };
      const row: Row = { ...base, Amount: 0, DetailType: type, DiscountLineDetail: detail };
      discounts.push({ row, detail, amount: decimal(line.Amount) });
      lines.push(row);
    } else if (type === 'DescriptionOnly') {
      lines.push({ ...base, DetailType: type, DescriptionLineDetail: line.DescriptionLineDetail ?? {} });
    } else if (type === undefined) {
      return { ok: false, fault: faults.required(`Line[${index}].DetailType`, 'DetailType') };
    } else {
      return { ok: false, fault: faults.business(`Unsupported line detail type: ${type}`, 'DetailType') };
    }
  }
  let discount = new Big(0);
  for (const d of discounts) {
    const percent = d.detail.PercentBased === true || d.detail.PercentBased === 'true';
    const pct = decimal(d.detail.DiscountPercent);
    const amount = percent && pct ? subtotal.times(pct).div(100).round(2, Big.roundHalfUp) : d.amount?.round(2, Big.roundHalfUp);
    if (amount === undefined) return { ok: false, fault: faults.required('Line.Amount', 'Amount') };
    const accountId = refValue(d.detail.DiscountAccountRef) ?? '86';
    const account = referable(ctx, 'Account', accountId);
    if (!account) return { ok: false, fault: faults.invalidReference(undefined, 'DiscountAccountRef') };
    d.detail.DiscountAccountRef = { value: accountId, name: asText(account.Name) };
    d.detail.PercentBased = percent;
    if (pct) d.detail.DiscountPercent = wireNumber(pct);
    d.row.Amount = wireNumber(amount);
    discount = discount.plus(amount);
  }
  if (discount.gt(subtotal)) return { ok: false, fault: faults.business("The discount amount can't be greater than the subtotal") };
  lines.push({ Amount: wireNumber(subtotal), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
  return { ok: true, value: { lines, subtotal, discount, taxed } };
}

/** The first other document of this type with exactly this number (docs/qbo-behaviour.md §6.4: duplicate → 6140). */
function docNumberOwner(realm: Realm, entity: string, docNumber: string, selfId: string | undefined): string | undefined {
  return realm.entities.get(entity)?.idsWithDocNumber(docNumber).find((id) => id !== selfId);
}

/** Automatic numbering when the company lets QBO number documents (Preferences CustomTxnNumbers false). */
function autoDocNumber(realm: Realm, entity: string): string | undefined {
  const prefs = realm.entities.get('Preferences')?.get('1')?.SalesFormsPrefs as Row | undefined;
  if (prefs?.CustomTxnNumbers === true) return undefined;
  const largest = realm.entities.get(entity)?.largestSequenceNumber() ?? 0;
  return asText(Math.max(1000, largest) + 1);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function buildTransaction(entity: string, ctx: WriteContext, input: Row, existing: Row | null): Built {
  const customerId = refValue(input.CustomerRef);
  if (customerId === undefined && entity !== 'SalesReceipt') return fail(faults.required('CustomerRef', 'CustomerRef'));
  const customer = customerId !== undefined ? referable(ctx, 'Customer', customerId) : undefined;
  if (customerId !== undefined && !customer) return fail(faults.invalidReference(undefined, 'CustomerRef'));
  if (!Array.isArray(input.Line) || input.Line.length === 0) return fail(faults.required('Line', 'Line'));
  const memo = text((input.CustomerMemo as Row | undefined)?.value);
  const long = tooLong({ DocNumber: input.DocNumber, PrivateNote: input.PrivateNote, CustomerMemo: memo }, { DocNumber: 21, PrivateNote: 4000, CustomerMemo: 1000 });
  if (long) return fail(long);
  const built = buildLines(ctx, input.Line, existing);
  if (!built.ok) return fail(built.fault);
  const docNumber = text(input.DocNumber) ?? text(existing?.DocNumber) ?? autoDocNumber(ctx.realm, entity);
  if (docNumber !== undefined && !ctx.allowDuplicateDocNum) {
    const owner = docNumberOwner(ctx.realm, entity, docNumber, existing ? asText(existing.Id) : undefined);
    if (owner !== undefined) {
      return fail(faults.duplicateDocNumber(docNumber, entity, owner));
    }
  }
  const txnDate = text(input.TxnDate) ?? text(existing?.TxnDate) ?? companyDate(ctx.now);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(txnDate)) return fail(faults.invalidProperty(`Cannot deserialize value of type \`java.util.Date\` from String "${txnDate}" (property "TxnDate")\n`));
  const currency = transactionCurrency(ctx.realm, input, customer);
  if (!currency.ok) return fail(currency.fault);
  const billAddr = input.BillAddr ?? customer?.BillAddr;
  const shipAddr = input.ShipAddr ?? customer?.ShipAddr;
  const tax = computeTax(ctx.realm, input, built.value.taxed, built.value, { ship: shipAddr, bill: billAddr });
  if (!tax.ok) return fail(tax.fault);
  const total = built.value.subtotal.minus(built.value.discount).plus(tax.inclusive ? 0 : tax.totalTax);
  const totalAmt = wireNumber(total);
  const home = currency.value.rate ? wireNumber(total.times(currency.value.rate).round(2, Big.roundHalfUp)) : undefined;
  const row: Row = {
    ...input,
    DocNumber: docNumber,
    TxnDate: txnDate,
    ...currency.value.fields,
    CustomField: Array.isArray(input.CustomField) && input.CustomField.length > 0 ? input.CustomField : CREW,
    LinkedTxn: [],
    Line: built.value.lines,
    TxnTaxDetail: tax.detail,
    CustomerRef: customer ? { value: customerId, name: asText(customer.DisplayName) } : undefined,
    BillAddr: billAddr,
    TotalAmt: totalAmt,
    HomeTotalAmt: home,
    ApplyTaxAfterDiscount: input.ApplyTaxAfterDiscount === true,
    PrintStatus: text(input.PrintStatus) ?? 'NeedToPrint',
    EmailStatus: text(input.EmailStatus) ?? 'NotSet',
  };
  if (entity === 'Invoice') {
    // Payments stay applied through an update: the balance is the new total less what they paid.
    const paid = existing ? (decimal(existing.TotalAmt) ?? new Big(0)).minus(decimal(existing.Balance) ?? new Big(0)) : new Big(0);
    if (paid.gt(total)) return fail(faults.business(`The invoice total ${total.toFixed(2)} would be less than the ${paid.toFixed(2)} already paid on it.`, 'TotalAmt'));
    Object.assign(row, {
      AllowIPNPayment: false, AllowOnlinePayment: false, AllowOnlineCreditCardPayment: false, AllowOnlineACHPayment: false,
      ShipAddr: shipAddr, DueDate: text(input.DueDate) ?? addDays(txnDate, 30), Balance: wireNumber(total.minus(paid)),
      HomeBalance: currency.value.rate ? wireNumber(total.minus(paid).times(currency.value.rate).round(2, Big.roundHalfUp)) : undefined,
      LinkedTxn: (existing?.LinkedTxn as Row[] | undefined) ?? [],
    });
  } else if (entity === 'CreditMemo') {
    Object.assign(row, { RemainingCredit: totalAmt, Balance: totalAmt });
  } else {
    Object.assign(row, { Balance: 0, DepositToAccountRef: input.DepositToAccountRef ?? { value: '4', name: 'Undeposited Funds' } });
  }
  return ok(withoutUndefined(row));
}

/** Void keeps the document but zeroes its amounts and notes it (fixture invoice-void.json). */
export function voided(row: Row): Row {
  const lines = ((row.Line as Row[] | undefined) ?? []).map((l) => (l.Amount !== undefined ? { ...l, Amount: 0 } : l));
  const note = text(row.PrivateNote);
  const out: Row = { ...row, Line: lines, TotalAmt: 0, Balance: 0, TxnTaxDetail: { TotalTax: 0 }, PrivateNote: note ? `Voided - ${note}` : 'Voided' };
  if (row.RemainingCredit !== undefined) out.RemainingCredit = 0;
  return out;
}

/** Open invoices raise the customer's balance, credit memos lower it (LastUpdatedTime moves, SyncToken does not). */
export function applyBalance(realm: Realm, entity: string, before: Row | null, after: Row | null, touchRow: (row: Row) => void): void {
  const sign = entity === 'Invoice' ? 1 : entity === 'CreditMemo' ? -1 : 0;
  if (sign === 0) return;
  const adjust = (row: Row | null, direction: number): void => {
    const id = refValue(row?.CustomerRef);
    const customer = id !== undefined ? realm.entities.get('Customer')?.get(id) : undefined;
    if (!row || !customer) return;
    const delta = (decimal(row.Balance) ?? new Big(0)).times(sign * direction);
    if (delta.eq(0)) return;
    customer.Balance = wireNumber((decimal(customer.Balance) ?? new Big(0)).plus(delta));
    customer.BalanceWithJobs = wireNumber((decimal(customer.BalanceWithJobs) ?? new Big(0)).plus(delta));
    touchRow(customer);
  };
  adjust(before, -1);
  adjust(after, 1);
}
