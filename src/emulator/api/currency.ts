import Big from 'big.js';
import { currencyRef, defaultExchangeRate } from '../realm-kind.ts';
import type { Realm, Row } from '../realm.ts';
import { faults, type QboFault } from '../wire.ts';
import { decimal, refValue } from './context.ts';

/**
 * Currencies of customers and sales transactions (Intuit: "Manage multiple currencies"). In a single-currency
 * company everything is in the home currency; in a multi-currency company a customer's currency is set once
 * and every transaction of that customer must be in it. Fault texts Intuit does not publish are the
 * emulator's own, with code 6000 (see src/emulator/README.md).
 */

function known(realm: Realm, code: string): boolean {
  if (code === realm.kind.homeCurrency) return true;
  for (const row of realm.entities.get('CompanyCurrency')?.values() ?? []) if (row.Code === code && row.Active !== false) return true;
  return false;
}

function checkCode(realm: Realm, code: string): QboFault | null {
  if (!realm.kind.multiCurrency && code !== realm.kind.homeCurrency) {
    return faults.business(`Multicurrency is not turned on for this company: every amount is in ${realm.kind.homeCurrency}. Supplied currency: ${code}`, 'CurrencyRef');
  }
  if (!known(realm, code)) return faults.invalidReference(`Invalid Reference Id : the currency ${code} is not in the company's currency list`, 'CurrencyRef');
  return null;
}

/** A customer's CurrencyRef: the home currency unless given; fixed once set (QBO: read-only after create). */
export function customerCurrency(realm: Realm, input: Row, existing: Row | null): { ref: Row } | { fault: QboFault } {
  const sent = refValue(input.CurrencyRef);
  if (existing) {
    const current = refValue(existing.CurrencyRef) ?? realm.kind.homeCurrency;
    if (sent !== undefined && sent !== current) {
      return { fault: faults.business(`You can't change the currency of a customer once it is set. The customer's currency is ${current}; supplied: ${sent}`, 'CurrencyRef') };
    }
    return { ref: currencyRef(current) };
  }
  const code = sent ?? realm.kind.homeCurrency;
  const fault = checkCode(realm, code);
  return fault ? { fault } : { ref: currencyRef(code) };
}

export interface TxnCurrency {
  fields: Row;
  /** Home-currency units per one transaction-currency unit; null in a single-currency company. */
  rate: Big | null;
}

/**
 * A transaction's CurrencyRef and ExchangeRate. Without CurrencyRef it is in the home currency (QBO does not take
 * the customer's), so an invoice for a foreign-currency customer must say its currency. Without ExchangeRate QBO
 * uses its own rate; the emulator uses its fixed table (realm-kind.ts CURRENCIES).
 */
export function transactionCurrency(realm: Realm, input: Row, customer: Row | undefined): { ok: true; value: TxnCurrency } | { ok: false; fault: QboFault } {
  const home = realm.kind.homeCurrency;
  const code = refValue(input.CurrencyRef) ?? home;
  const bad = checkCode(realm, code);
  if (bad) return { ok: false, fault: bad };
  const customerCode = customer ? (refValue(customer.CurrencyRef) ?? home) : code;
  if (customerCode !== code) {
    return {
      ok: false,
      fault: faults.business(`The transaction's currency (${code}) must be the customer's currency (${customerCode}). Choose a customer with currency ${code}.`, 'CurrencyRef'),
    };
  }
  if (!realm.kind.multiCurrency) return { ok: true, value: { fields: { CurrencyRef: currencyRef(code) }, rate: null } };
  let rate = new Big(1);
  if (code !== home) {
    const sent = decimal(input.ExchangeRate);
    if (sent !== undefined && sent.lte(0)) return { ok: false, fault: faults.business(`Exchange rate must be greater than 0. Supplied value:${sent.toFixed()}`, 'ExchangeRate') };
    rate = sent ?? defaultExchangeRate(code, home);
  }
  return { ok: true, value: { fields: { CurrencyRef: currencyRef(code), ExchangeRate: Number(rate.toFixed()) }, rate } };
}
