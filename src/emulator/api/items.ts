import type { Row } from '../realm.ts';
import { faults, asText } from '../wire.ts';
import { referable, badNameChars, bool, decimal, fail, ok, refValue, text, tooLong, wireNumber, withoutUndefined, type Built, type WriteContext } from './context.ts';

/**
 * Items (docs/qbo-behaviour.md §6.3): unique Name, Type-specific accounts. Inventory needs QtyOnHand, InvStartDate
 * and the asset, income and expense accounts; Service needs an income account; NonInventory an
 * income or expense account.
 */
const TYPES = new Set(['Service', 'NonInventory', 'Inventory', 'Category']);
const limits = { Name: 100, Sku: 100, Description: 4000, PurchaseDesc: 4000 };
/** Items cannot post to receivable/payable accounts (6430, docs/qbo-behaviour.md §6.6). */
const FORBIDDEN_ACCOUNT_TYPES = new Set(['Accounts Receivable', 'Accounts Payable']);

function accountRef(ctx: WriteContext, input: Row, field: string): { ref?: Row; fault?: ReturnType<typeof faults.required> } {
  const id = refValue(input[field]);
  if (id === undefined) return {};
  const account = referable(ctx, 'Account', id);
  if (!account) return { fault: faults.invalidReference(undefined, field) };
  if (FORBIDDEN_ACCOUNT_TYPES.has(asText(account.AccountType))) {
    return { fault: faults.business('Invalid account type: You need to select a different type of account for this transaction.', field) };
  }
  return { ref: { value: id, name: asText(account.Name) } };
}

function nameTaken(ctx: WriteContext, name: string, selfId: string | undefined): boolean {
  const wanted = name.trim().toLowerCase();
  for (const [id, row] of ctx.realm.entities.get('Item') ?? []) {
    if (id !== selfId && asText(row.Name ?? '').trim().toLowerCase() === wanted) return true;
  }
  return false;
}

export function buildItem(ctx: WriteContext, input: Row, existing: Row | null): Built {
  const name = text(input.Name)?.trim();
  if (!name) return fail(faults.required('Name', 'Name'));
  const type = text(input.Type) ?? text(existing?.Type);
  if (!type) return fail(faults.required('Type', 'Type'));
  if (!TYPES.has(type)) return fail(faults.business(`Invalid Type: ${type}. Supported types are Service, NonInventory, Inventory and Category.`, 'Type'));
  if (existing && existing.Type !== type && !(['Service', 'NonInventory'].includes(type) && ['Service', 'NonInventory'].includes(asText(existing.Type)))) {
    return fail(faults.business(`You can't change the type of an item from ${asText(existing.Type)} to ${type}.`, 'Type'));
  }
  const row: Row = { ...input, Name: name, Type: type };
  const shape = badNameChars(row, ['Name']) ?? tooLong(row, limits);
  if (shape) return fail(shape);
  if (nameTaken(ctx, name, existing ? asText(existing.Id) : undefined)) {
    return fail(faults.duplicateName('The name supplied already exists. : Another product or service is already using this name. Please use a different name.'));
  }
  const income = accountRef(ctx, input, 'IncomeAccountRef');
  const expense = accountRef(ctx, input, 'ExpenseAccountRef');
  const asset = accountRef(ctx, input, 'AssetAccountRef');
  const refFault = income.fault ?? expense.fault ?? asset.fault;
  if (refFault) return fail(refFault);
  if (type === 'Service' && !income.ref) return fail(faults.required('IncomeAccountRef', 'IncomeAccountRef'));
  if (type === 'NonInventory' && !income.ref && !expense.ref) return fail(faults.required('IncomeAccountRef', 'IncomeAccountRef'));
  if (type === 'Inventory') {
    for (const [field, present] of [['IncomeAccountRef', income.ref], ['ExpenseAccountRef', expense.ref], ['AssetAccountRef', asset.ref],
      ['QtyOnHand', input.QtyOnHand], ['InvStartDate', input.InvStartDate]] as const) {
      if (present === undefined || present === null) return fail(faults.required(field, field));
    }
  }
  const unitPrice = decimal(input.UnitPrice);
  const cost = decimal(input.PurchaseCost);
  const qty = decimal(input.QtyOnHand);
  return ok(withoutUndefined({
    ...row,
    FullyQualifiedName: name,
    Active: bool(input.Active) ?? true,
    TrackQtyOnHand: type === 'Inventory',
    UnitPrice: unitPrice ? wireNumber(unitPrice) : 0,
    PurchaseCost: cost ? wireNumber(cost) : 0,
    QtyOnHand: qty ? wireNumber(qty) : undefined,
    Taxable: bool(input.Taxable) ?? false,
    IncomeAccountRef: income.ref,
    ExpenseAccountRef: expense.ref,
    AssetAccountRef: asset.ref,
  }));
}

const CLASSIFICATION: Record<string, [string, string]> = {
  Bank: ['Asset', 'Checking'], 'Other Current Asset': ['Asset', 'OtherCurrentAssets'], 'Fixed Asset': ['Asset', 'OtherFixedAssets'],
  'Other Asset': ['Asset', 'OtherLongTermAssets'], 'Accounts Receivable': ['Asset', 'AccountsReceivable'], Equity: ['Equity', 'OpeningBalanceEquity'],
  Expense: ['Expense', 'OtherMiscellaneousServiceCost'], 'Other Expense': ['Expense', 'OtherMiscellaneousExpense'],
  'Cost of Goods Sold': ['Expense', 'SuppliesMaterialsCogs'], 'Accounts Payable': ['Liability', 'AccountsPayable'],
  'Credit Card': ['Liability', 'CreditCard'], 'Long Term Liability': ['Liability', 'OtherLongTermLiabilities'],
  'Other Current Liability': ['Liability', 'OtherCurrentLiabilities'], Income: ['Revenue', 'ServiceFeeIncome'], 'Other Income': ['Revenue', 'OtherMiscellaneousIncome'],
};

/** Accounts (docs/qbo-behaviour.md §6.6): Name unique, no `"` or `:`, AccountType required. */
export function buildAccount(ctx: WriteContext, input: Row, existing: Row | null): Built {
  const name = text(input.Name)?.trim();
  if (!name) return fail(faults.required('Name', 'Name'));
  if (/[":]/.test(name)) return fail(faults.business('Account name can not contain a colon (:) or a double quote (").', 'Name'));
  const long = tooLong({ Name: name, AcctNum: input.AcctNum, Description: input.Description }, { Name: 100, AcctNum: 7, Description: 100 });
  if (long) return fail(long);
  const type = text(input.AccountType) ?? text(existing?.AccountType);
  if (!type) return fail(faults.required('AccountType', 'AccountType'));
  const cls = CLASSIFICATION[type];
  if (!cls) return fail(faults.business(`Invalid account type: ${type}`, 'AccountType'));
  for (const [id, row] of ctx.realm.entities.get('Account') ?? []) {
    if (id !== existing?.Id && asText(row.Name).toLowerCase() === name.toLowerCase()) {
      return fail(faults.duplicateName('The name supplied already exists. : Another account is already using this name. Please use a different name.'));
    }
  }
  return ok(withoutUndefined({
    ...input, Name: name, SubAccount: bool(input.SubAccount) ?? false, FullyQualifiedName: name, Active: bool(input.Active) ?? true,
    Classification: cls[0], AccountType: type, AccountSubType: text(input.AccountSubType) ?? cls[1],
    CurrentBalance: existing?.CurrentBalance ?? 0, CurrentBalanceWithSubAccounts: existing?.CurrentBalanceWithSubAccounts ?? 0,
    CurrencyRef: { value: 'USD', name: 'United States Dollar' },
  }));
}
