import { Big } from 'big.js';
import type { ExportCustomer as ErpCustomer, ExportProduct as ErpProduct } from '../store/erp/app-types.ts';
import type { Customer as QboCustomer, Item as QboItem } from '../qbo/entities.ts';
import { nameKey, nameProblem, suffixedName } from './names.ts';

/**
 * Match-or-add decisions (docs/design.md rule 9): pure, each returns what to do and why, one test per reason.
 * The QBO rows passed in were found with `Active IN (true,false)`, so inactive records are seen too.
 */

export type MatchDecision<Payload> =
  | { action: 'match'; reason: 'same-name'; qboId: string; qboName: string }
  | { action: 'add'; reason: 'no-match'; payload: Payload; warnings: string[] }
  | { action: 'fail'; reason: 'invalid-name' | 'inactive-match' | 'missing-account'; message: string };

export interface QboCustomerPayload {
  DisplayName: string;
  CompanyName: string;
  PrimaryEmailAddr?: { Address: string };
  PrimaryPhone?: { FreeFormNumber: string };
  BillAddr?: Record<string, string>;
  /** Multi-currency books: the customer's currency, fixed in QuickBooks once set (issue 15). */
  CurrencyRef?: { value: string };
}

/**
 * A customer: matched by DisplayName as QBO compares it (case-insensitive), else added.
 * An inactive QBO customer of that name is NOT reactivated behind the user's back (someone made it inactive
 * on purpose, e.g. after merging duplicates) and cannot be created again (the name is taken): the record
 * fails with what to do.
 */
export function decideCustomer(customer: ErpCustomer, sameNameInQbo: readonly QboCustomer[]): MatchDecision<QboCustomerPayload> {
  const problem = nameProblem(customer.name, 'customer');
  if (problem) return { action: 'fail', reason: 'invalid-name', message: problem };
  const matches = sameNameInQbo.filter((c) => c.DisplayName !== undefined && nameKey(c.DisplayName) === nameKey(customer.name));
  const active = matches.find((c) => c.Active !== false);
  if (active) return { action: 'match', reason: 'same-name', qboId: active.Id, qboName: active.DisplayName ?? customer.name };
  const inactive = matches[0];
  if (inactive) {
    return {
      action: 'fail',
      reason: 'inactive-match',
      message: `QuickBooks customer "${inactive.DisplayName ?? ''}" (Id ${inactive.Id}) has this name but is inactive; make it active in QuickBooks, or rename the customer in the ERP`,
    };
  }
  const { payload, warnings } = customerPayload(customer, customer.name);
  return { action: 'add', reason: 'no-match', payload, warnings };
}

/** The QBO Customer create body (docs/qbo-behaviour.md §6.2); fields QBO would reject are left out with a warning. */
export function customerPayload(customer: ErpCustomer, displayName: string): { payload: QboCustomerPayload; warnings: string[] } {
  const warnings: string[] = [];
  const payload: QboCustomerPayload = { DisplayName: displayName, CompanyName: customer.name.slice(0, 100) };
  if (customer.email) {
    // QBO: PrimaryEmailAddr must contain "@" and "." and be at most 100 characters.
    if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(customer.email) && customer.email.length <= 100) {
      payload.PrimaryEmailAddr = { Address: customer.email };
    } else warnings.push(`email "${customer.email}" is not an address QuickBooks accepts, so it was left out; correct it`);
  }
  if (customer.phone) {
    if (customer.phone.length <= 30) payload.PrimaryPhone = { FreeFormNumber: customer.phone };
    else warnings.push(`phone "${customer.phone}" is longer than the 30 characters QuickBooks allows, so it was left out; shorten it`);
  }
  const addr: Record<string, string> = {};
  const put = (key: string, value: string | null) => {
    if (value) addr[key] = value;
  };
  const bill = customer.billingAddress;
  put('Line1', bill.line1);
  put('Line2', bill.line2);
  put('City', bill.city);
  put('CountrySubDivisionCode', bill.region);
  put('PostalCode', bill.postalCode);
  put('Country', bill.country);
  if (Object.keys(addr).length > 0) payload.BillAddr = addr;
  // Customers are created in their currency; none given = QuickBooks' home currency (its default).
  if (customer.currency) payload.CurrencyRef = { value: customer.currency };
  return { payload, warnings };
}

export type CollisionDecision =
  | { action: 'add-with-suffix'; displayName: string; message: string }
  | { action: 'fail'; message: string };

/**
 * QBO answered 6240 although no customer has the name: a vendor or employee uses it (DisplayName is unique
 * across all three). The company's policy decides; the decision is logged in either case.
 */
export function decideNameCollision(policy: 'suffix' | 'report', customer: ErpCustomer, triedName: string): CollisionDecision {
  const suffixed = suffixedName(customer.name, customer.customerNo);
  if (policy === 'report') {
    return {
      action: 'fail',
      message: `the name "${triedName}" is already used by a QuickBooks vendor or employee (6240); rename the customer in the ERP or the vendor/employee in QuickBooks, or set the name-collision policy to "suffix"`,
    };
  }
  if (nameKey(triedName) === nameKey(suffixed)) {
    return {
      action: 'fail',
      message: `the names "${customer.name}" and "${suffixed}" are both already used in QuickBooks (6240); rename the customer in the ERP`,
    };
  }
  return {
    action: 'add-with-suffix',
    displayName: suffixed,
    message: `the name "${customer.name}" belongs to a QuickBooks vendor or employee, so the customer was added as "${suffixed}" (name-collision policy: suffix)`,
  };
}

export interface AccountRefs {
  income: { value: string; name: string } | string;
  expense: { value: string; name: string } | string;
  asset: { value: string; name: string } | string;
}

export interface QboItemPayload {
  Name: string;
  Type: 'Service' | 'NonInventory' | 'Inventory';
  Description?: string;
  UnitPrice: Big;
  IncomeAccountRef?: { value: string; name: string };
  ExpenseAccountRef?: { value: string; name: string };
  AssetAccountRef?: { value: string; name: string };
  TrackQtyOnHand?: boolean;
  QtyOnHand?: number;
  InvStartDate?: string;
}

/**
 * A product: matched by Item Name = productNo, else added with the accounts from the settings (strings in
 * `accounts` are the reason an account could not be found). Inventory items also need an asset account,
 * a quantity (0: the ERP owns stock) and a start date.
 */
export function decideProduct(
  product: ErpProduct,
  sameNameInQbo: readonly QboItem[],
  accounts: AccountRefs,
  today: string,
): MatchDecision<QboItemPayload> {
  const problem = nameProblem(product.productNo, 'product');
  if (problem) return { action: 'fail', reason: 'invalid-name', message: problem };
  const matches = sameNameInQbo.filter((i) => nameKey(i.Name) === nameKey(product.productNo));
  const category = matches.find((i) => i.Type === 'Category');
  if (category) {
    return {
      action: 'fail',
      reason: 'inactive-match',
      message: `QuickBooks has a category named "${category.Name}" (Id ${category.Id}), which cannot be used on invoices; rename the category in QuickBooks or change the product number`,
    };
  }
  const active = matches.find((i) => i.Active !== false);
  if (active) return { action: 'match', reason: 'same-name', qboId: active.Id, qboName: active.Name };
  const inactive = matches[0];
  if (inactive) {
    return {
      action: 'fail',
      reason: 'inactive-match',
      message: `QuickBooks product "${inactive.Name}" (Id ${inactive.Id}) has this name but is inactive; make it active in QuickBooks, or change the product number`,
    };
  }
  const needed: Array<keyof AccountRefs> = product.type === 'Inventory' ? ['income', 'expense', 'asset'] : product.type === 'NonInventory' ? ['income', 'expense'] : ['income'];
  const missing = needed.map((k) => accounts[k]).filter((a): a is string => typeof a === 'string');
  if (missing.length > 0) return { action: 'fail', reason: 'missing-account', message: missing.join('; ') };
  const ref = (k: keyof AccountRefs) => accounts[k] as { value: string; name: string };
  const payload: QboItemPayload = { Name: product.productNo, Type: product.type, UnitPrice: new Big(product.unitPrice), IncomeAccountRef: ref('income') };
  if (product.description) payload.Description = product.description.slice(0, 4000);
  if (product.type !== 'Service') payload.ExpenseAccountRef = ref('expense');
  if (product.type === 'Inventory') {
    Object.assign(payload, { AssetAccountRef: ref('asset'), TrackQtyOnHand: true, QtyOnHand: 0, InvStartDate: today });
  }
  return { action: 'add', reason: 'no-match', payload, warnings: [] };
}
