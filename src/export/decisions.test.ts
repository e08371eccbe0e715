import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExportCustomer, ExportProduct } from '../store/erp/app-types.ts';
import type { Account } from '../qbo/entities.ts';
import { QboNetworkError, QboValidationError } from '../qbo/errors.ts';
import { resolveAccounts } from './accounts.ts';
import { decideCustomer, decideNameCollision, decideProduct, type AccountRefs } from './decisions.ts';
import { describeQboError, recordLabel } from './messages.ts';
import { nameProblem, suffixedName } from './names.ts';

const at = new Date('2026-11-01T00:00:00.000Z');
const customer = (over: Partial<ExportCustomer> = {}): ExportCustomer => ({
  id: 1, customerNo: 'C-100', name: "O'Brien & Sons", email: 'ap@obrien.example', phone: '+1 555 0100',
  billingAddress: { line1: '1 Main St', line2: null, city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
  active: true, updatedAt: at, currency: null, ...over,
});
const product = (over: Partial<ExportProduct> = {}): ExportProduct => ({
  id: 1, companyId: 1, productNo: 'WIDGET-1', description: 'Widget, steel', type: 'NonInventory', unitPrice: '12.50',
  updatedAt: at, ...over,
});
const accounts: AccountRefs = {
  income: { value: '79', name: 'Sales of Product Income' },
  expense: { value: '80', name: 'Cost of Goods Sold' },
  asset: { value: '81', name: 'Inventory Asset' },
};

void describe('decideCustomer', () => {
  void it('matches an active QBO customer of the same name, whatever the case', () => {
    const d = decideCustomer(customer(), [{ Id: '5', DisplayName: "O'BRIEN & SONS", Active: true }]);
    assert.deepEqual(d, { action: 'match', reason: 'same-name', qboId: '5', qboName: "O'BRIEN & SONS" });
  });
  void it('adds the customer with company name, email, phone and billing address when none matches', () => {
    const d = decideCustomer(customer(), []);
    assert.equal(d.action, 'add');
    assert.deepEqual(d.action === 'add' && d.payload, {
      DisplayName: "O'Brien & Sons", CompanyName: "O'Brien & Sons", PrimaryEmailAddr: { Address: 'ap@obrien.example' },
      PrimaryPhone: { FreeFormNumber: '+1 555 0100' },
      BillAddr: { Line1: '1 Main St', City: 'Springfield', CountrySubDivisionCode: 'IL', PostalCode: '62701', Country: 'US' },
    });
  });
  void it('fails on an inactive QBO customer of that name instead of reactivating it', () => {
    const d = decideCustomer(customer(), [{ Id: '9', DisplayName: "O'Brien & Sons", Active: false }]);
    assert.equal(d.action === 'fail' && d.reason, 'inactive-match');
  });
  void it('reports names QBO rejects before any call', () => {
    for (const name of ['A: B', 'A\tB', 'A\nB', 'x'.repeat(501)]) {
      const d = decideCustomer(customer({ name }), []);
      assert.equal(d.action === 'fail' && d.reason, 'invalid-name', name);
    }
    assert.equal(nameProblem('Ünïcødé & Co', 'customer'), null);
  });
  void it('leaves out an email QBO would reject, with a warning', () => {
    const d = decideCustomer(customer({ email: 'not-an-email' }), []);
    assert.ok(d.action === 'add' && !d.payload.PrimaryEmailAddr && d.warnings.length === 1);
  });
});

void describe('decideNameCollision (6240: a vendor or employee has the name)', () => {
  void it('suffix policy: adds "<name> (<customerNo>)" and says so', () => {
    const d = decideNameCollision('suffix', customer(), "O'Brien & Sons");
    assert.deepEqual(d.action === 'add-with-suffix' && d.displayName, "O'Brien & Sons (C-100)");
  });
  void it('report policy: fails the record with what to fix', () => {
    const d = decideNameCollision('report', customer(), "O'Brien & Sons");
    assert.match(d.action === 'fail' ? d.message : '', /already used by a QuickBooks vendor or employee \(6240\); rename/);
  });
  void it('fails when the suffixed name is taken too', () => {
    assert.equal(decideNameCollision('suffix', customer(), "O'Brien & Sons (C-100)").action, 'fail');
  });
  void it('keeps the suffixed name within 500 characters', () => {
    assert.equal(suffixedName('x'.repeat(500), 'C-1').length, 500);
  });
});

void describe('decideProduct', () => {
  void it('matches an active item by name', () => {
    assert.equal(decideProduct(product(), [{ Id: '3', Name: 'widget-1', Active: true }], accounts, '2026-11-01').action, 'match');
  });
  void it('fails on an inactive item of that name', () => {
    const d = decideProduct(product(), [{ Id: '3', Name: 'WIDGET-1', Active: false }], accounts, '2026-11-01');
    assert.equal(d.action === 'fail' && d.reason, 'inactive-match');
  });
  void it('adds a Service with an income account, a NonInventory with income and expense', () => {
    const s = decideProduct(product({ type: 'Service' }), [], accounts, '2026-11-01');
    assert.ok(s.action === 'add' && s.payload.IncomeAccountRef && !s.payload.ExpenseAccountRef);
    const n = decideProduct(product(), [], accounts, '2026-11-01');
    assert.ok(n.action === 'add' && n.payload.IncomeAccountRef && n.payload.ExpenseAccountRef && !n.payload.AssetAccountRef);
  });
  void it('adds an Inventory item with the three accounts, quantity 0 and a start date', () => {
    const d = decideProduct(product({ type: 'Inventory' }), [], accounts, '2026-11-01');
    assert.ok(d.action === 'add');
    assert.equal(d.payload.AssetAccountRef?.value, '81');
    assert.equal(d.payload.QtyOnHand, 0);
    assert.equal(d.payload.InvStartDate, '2026-11-01');
    assert.equal(d.payload.TrackQtyOnHand, true);
  });
  void it('fails when an account it needs cannot be found', () => {
    const d = decideProduct(product({ type: 'Inventory' }), [], { ...accounts, asset: 'no asset account' }, '2026-11-01');
    assert.deepEqual(d.action === 'fail' && [d.reason, d.message], ['missing-account', 'no asset account']);
  });
  void it('fails on a QBO category of that name (categories cannot be used on invoices)', () => {
    const d = decideProduct(product(), [{ Id: '30', Name: 'WIDGET-1', Type: 'Category', Active: true }], accounts, '2026-11-01');
    assert.match(d.action === 'fail' ? d.message : '', /category named "WIDGET-1"/);
  });
  void it('rejects a product number with a colon', () => {
    assert.equal(decideProduct(product({ productNo: 'A:B' }), [], accounts, '2026-11-01').action, 'fail');
  });
});

void describe('resolveAccounts', () => {
  const realm: Account[] = [
    { Id: '1', Name: 'Services', AccountType: 'Income', Active: true },
    { Id: '79', Name: 'Sales of Product Income', AccountType: 'Income', Active: true },
    { Id: '80', Name: 'Cost of Goods Sold', AccountType: 'Cost of Goods Sold', Active: true },
    { Id: '4', Name: 'Undeposited Funds', AccountType: 'Other Current Asset', AccountSubType: 'UndepositedFunds', Active: true },
    { Id: '81', Name: 'Inventory Asset', AccountType: 'Other Current Asset', AccountSubType: 'Inventory', Active: true },
  ];
  void it('defaults to the first active account of each type (the inventory subtype for assets)', () => {
    const r = resolveAccounts(realm, {});
    assert.deepEqual([r.income, r.expense, r.asset], [
      { value: '1', name: 'Services' }, { value: '80', name: 'Cost of Goods Sold' }, { value: '81', name: 'Inventory Asset' },
    ]);
  });
  void it('takes the settings by name (any case) or Id, and says when one does not exist', () => {
    const r = resolveAccounts(realm, { incomeAccount: 'sales of product income', expenseAccount: '80', assetAccount: 'Nope' });
    assert.deepEqual(r.income, { value: '79', name: 'Sales of Product Income' });
    assert.deepEqual(r.expense, { value: '80', name: 'Cost of Goods Sold' });
    assert.match(typeof r.asset === 'string' ? r.asset : '', /inventory asset account "Nope", which QuickBooks does not have/);
  });
});

void describe('messages', () => {
  void it('names the record, the QBO code and what to fix', () => {
    const e = new QboValidationError({ qboCode: '6070', message: 'Amount is not equal to UnitPrice * Qty', element: 'Line[1].Amount' });
    assert.equal(`${recordLabel('invoice', 'INV-1001')}: ${describeQboError(e)}`,
      'Invoice INV-1001: QuickBooks rejected line 2 (6070 Amount is not equal to UnitPrice * Qty): fix the quantity or unit price');
    assert.equal(recordLabel('customer', 'C-1', 'Acme'), 'Customer C-1 (Acme)');
  });
  void it('says a network failure loses nothing', () => {
    assert.match(describeQboError(new QboNetworkError({ qboCode: 'NETWORK', message: 'socket hang up' })), /next export retries it/);
  });
});
