import { currencyRef, DEFAULT_REALM_KIND, type RealmKind } from './realm-kind.ts';
import { INTUIT_BEHAVIOUR } from './behaviour.ts';
import { type Realm, type Row, reserveId, rowsOf, stamp } from './realm.ts';
import { kindPreferences, seedCurrencies, seedTaxCodes } from './seed-kind.ts';
import { companyDate } from './wire.ts';

/**
 * A fresh sandbox company, modelled on Intuit's "Craig's Design and Landscaping Services" template
 * (docs/qbo-behaviour.md §6.8): the Ids Intuit's samples use, so recorded requests replay as they are.
 */

function address(realm: Realm, fields: Row): Row {
  return { Id: String(realm.nextAddressId++), ...fields };
}

const accounts: Array<[string, string, string, string, string, boolean?]> = [
  // Id, Name, AccountType, AccountSubType, Classification, inactive?
  ['1', 'Services', 'Income', 'ServiceFeeIncome', 'Revenue'],
  ['4', 'Undeposited Funds', 'Other Current Asset', 'UndepositedFunds', 'Asset'],
  ['5', 'Fees Billed (deleted)', 'Income', 'ServiceFeeIncome', 'Revenue', true],
  ['33', 'Accounts Payable (A/P)', 'Accounts Payable', 'AccountsPayable', 'Liability'],
  ['35', 'Checking', 'Bank', 'Checking', 'Asset'],
  ['79', 'Sales of Product Income', 'Income', 'SalesOfProductIncome', 'Revenue'],
  ['80', 'Cost of Goods Sold', 'Cost of Goods Sold', 'SuppliesMaterialsCogs', 'Expense'],
  ['81', 'Inventory Asset', 'Other Current Asset', 'Inventory', 'Asset'],
  ['82', 'Design income', 'Income', 'ServiceFeeIncome', 'Revenue'],
  ['84', 'Accounts Receivable (A/R)', 'Accounts Receivable', 'AccountsReceivable', 'Asset'],
  ['86', 'Discounts given', 'Income', 'DiscountsRefundsGiven', 'Revenue'],
];

function put(realm: Realm, entity: string, id: string, row: Row, now: number, syncToken = '0'): void {
  rowsOf(realm, entity).set(id, { ...stamp(row, id, now), SyncToken: syncToken });
  reserveId(realm, entity, id);
}

function seedAccounts(realm: Realm, now: number): void {
  for (const [id, name, type, subType, classification, inactive] of accounts) {
    // A deactivated account has been updated once, as in Intuit's template company.
    put(realm, 'Account', id, {
      Name: name, SubAccount: false, FullyQualifiedName: name, Active: !inactive, Classification: classification,
      AccountType: type, AccountSubType: subType, CurrentBalance: 0, CurrentBalanceWithSubAccounts: 0, CurrencyRef: currencyRef(realm.kind.homeCurrency),
    }, now, inactive ? '1' : '0');
  }
}

function customer(realm: Realm, name: string, extra: Row): Row {
  return {
    Taxable: true, Job: false, BillWithParent: false, Balance: 0, BalanceWithJobs: 0, CurrencyRef: currencyRef(realm.kind.homeCurrency),
    PreferredDeliveryMethod: 'Print', FullyQualifiedName: name, DisplayName: name, PrintOnCheckName: name, Active: true,
    ...extra,
  };
}

function seedCustomers(realm: Realm, now: number): void {
  const finch = { Line1: '4581 Finch St.', City: 'Bayshore', CountrySubDivisionCode: 'CA', PostalCode: '94326', Lat: 'INVALID', Long: 'INVALID' };
  const amyAddr = address(realm, finch);
  put(realm, 'Customer', '1', customer(realm, "Amy's Bird Sanctuary", {
    BillAddr: amyAddr, ShipAddr: amyAddr, GivenName: 'Amy', FamilyName: 'Lauterbach', CompanyName: "Amy's Bird Sanctuary",
    PrimaryPhone: { FreeFormNumber: '(650) 555-3311' }, PrimaryEmailAddr: { Address: 'Birds@Intuit.com' },
  }), now);
  put(realm, 'Customer', '2', customer(realm, "Bill's Windsurf Shop", {
    BillAddr: address(realm, { Line1: '12 Ocean Dr.', City: 'Half Moon Bay', CountrySubDivisionCode: 'CA', PostalCode: '94213', Lat: 'INVALID', Long: 'INVALID' }),
    GivenName: 'Bill', FamilyName: 'Lucchini', CompanyName: "Bill's Windsurf Shop", PrimaryEmailAddr: { Address: 'Surf@Intuit.com' },
  }), now);
  put(realm, 'Customer', '3', customer(realm, 'Cool Cars', { GivenName: 'Grace', FamilyName: 'Pariente', CompanyName: 'Cool Cars' }), now);
  const court = address(realm, { Line1: '25 Court St.', City: 'Tucson', CountrySubDivisionCode: 'AZ', PostalCode: '85719', Lat: '32.2841116', Long: '-110.9744298' });
  put(realm, 'Customer', '5', customer(realm, 'Dukes Basketball Camp', {
    BillAddr: court, ShipAddr: court, GivenName: 'Peter', FamilyName: 'Dukes', CompanyName: 'Dukes Basketball Camp',
    PrimaryPhone: { FreeFormNumber: '(520) 420-5638' }, PrimaryEmailAddr: { Address: 'Dukes_bball@intuit.com' }, ...(realm.kind.country === 'US' ? { DefaultTaxCodeRef: { value: '2' } } : {}),
  }), now);
  put(realm, 'Customer', '6', customer(realm, 'Dylan Sollfrank', { Taxable: false, GivenName: 'Dylan', FamilyName: 'Sollfrank' }), now);
  put(realm, 'Customer', '29', customer(realm, 'Weiskopf Consulting', { GivenName: 'Nicola', FamilyName: 'Weiskopf', CompanyName: 'Weiskopf Consulting' }), now);
  realm.nextIds.set('Customer', 60);
}

function vendor(realm: Realm, name: string, extra: Row = {}): Row {
  return { Balance: 0, Vendor1099: false, CurrencyRef: currencyRef(realm.kind.homeCurrency), DisplayName: name, PrintOnCheckName: name, Active: true, ...extra };
}

function seedVendorsAndEmployees(realm: Realm, now: number): void {
  put(realm, 'Vendor', '30', vendor(realm, 'Acme Supplies & Co', { CompanyName: 'Acme Supplies & Co' }), now);
  put(realm, 'Vendor', '49', vendor(realm, 'Robertson & Associates', {
    BillAddr: address(realm, { Line1: 'P.O. Box 147', City: 'Bayshore', CountrySubDivisionCode: 'CA', PostalCode: '94326', Lat: '45.2720537', Long: '-79.7935909' }),
    AcctNum: '000005641', GivenName: 'Jenny', FamilyName: 'Robertson', CompanyName: 'Robertson & Associates', PrimaryPhone: { FreeFormNumber: '(650) 557-1111' },
  }), now);
  put(realm, 'Vendor', '56', vendor(realm, "Bob's Burger Joint"), now);
  realm.nextIds.set('Vendor', 60);
  put(realm, 'Employee', '55', {
    BillableTime: false, GivenName: 'Emily', FamilyName: 'Platt', DisplayName: 'Emily Platt', PrintOnCheckName: 'Emily Platt', Active: true,
    PrimaryPhone: { FreeFormNumber: '(555) 555-5555' },
  }, now);
  realm.nextIds.set('Employee', 60);
}

function item(name: string, type: string, extra: Row): Row {
  return {
    Name: name, FullyQualifiedName: name, Active: true, Type: type, TrackQtyOnHand: type === 'Inventory',
    UnitPrice: 0, PurchaseCost: 0, Taxable: false, ...extra,
  };
}

function seedItems(realm: Realm, now: number): void {
  const services = { IncomeAccountRef: { value: '1', name: 'Services' } };
  put(realm, 'Item', '1', item('Services', 'Service', services), now);
  put(realm, 'Item', '2', item('Hours', 'Service', services), now);
  put(realm, 'Item', '4', item('Design', 'Service', { UnitPrice: 75, Description: 'Custom Design', IncomeAccountRef: { value: '82', name: 'Design income' } }), now);
  const stock = {
    IncomeAccountRef: { value: '79', name: 'Sales of Product Income' }, ExpenseAccountRef: { value: '80', name: 'Cost of Goods Sold' },
    AssetAccountRef: { value: '81', name: 'Inventory Asset' }, InvStartDate: companyDate(now), Taxable: true,
  };
  put(realm, 'Item', '5', item('Rock Fountain', 'Inventory', { ...stock, UnitPrice: 275, PurchaseCost: 125, QtyOnHand: 2, Description: 'Rock Fountain' }), now);
  put(realm, 'Item', '11', item('Pump', 'Inventory', { ...stock, UnitPrice: 15, PurchaseCost: 10, QtyOnHand: 25, Description: 'Fountain Pump' }), now);
  put(realm, 'Item', '12', item('Shipping', 'Service', { Description: 'Shipping and handling', ...services }), now);
  put(realm, 'Item', '13', item('Old Widget (deleted)', 'NonInventory', { Active: false, IncomeAccountRef: { value: '79', name: 'Sales of Product Income' } }), now);
  realm.nextIds.set('Item', 30);
}

function seedCompany(realm: Realm, now: number): void {
  const companyAddr = { Id: '1', Line1: '123 Sierra Way', City: 'San Pablo', CountrySubDivisionCode: 'CA', PostalCode: '87999', Lat: '36.6788345', Long: '-116.1830147' };
  rowsOf(realm, 'CompanyInfo').set('1', stamp({
    CompanyName: realm.name, LegalName: realm.name, CompanyAddr: companyAddr, CustomerCommunicationAddr: companyAddr, LegalAddr: companyAddr,
    PrimaryPhone: {}, CompanyStartDate: companyDate(realm.createdAt), FiscalYearStartMonth: 'January', Country: realm.kind.country,
    Email: { Address: 'noreply@quickbooks.com' }, WebAddr: {}, SupportedLanguages: 'en',
    NameValue: [
      { Name: 'NeoEnabled', Value: 'true' }, { Name: 'IndustryType', Value: 'Landscaping Services' },
      { Name: 'SubscriptionStatus', Value: 'SUBSCRIBED' }, { Name: 'OfferingSku', Value: 'QuickBooks Online Plus' },
      { Name: 'PayrollFeature', Value: 'true' }, { Name: 'AccountantFeature', Value: 'false' },
    ],
  }, '1', now));
  rowsOf(realm, 'Preferences').set('1', stamp({
    AccountingInfoPrefs: { TrackDepartments: false, DepartmentTerminology: 'Location', ClassTrackingPerTxn: false, ClassTrackingPerTxnLine: false, CustomerTerminology: 'Customers' },
    ProductAndServicesPrefs: { ForSales: true, ForPurchase: true, QuantityWithPriceAndRate: true, QuantityOnHand: true },
    SalesFormsPrefs: {
      CustomField: [{ CustomField: [
        { Name: 'SalesFormsPrefs.UseSalesCustom1', Type: 'BooleanType', BooleanValue: true },
        { Name: 'SalesFormsPrefs.SalesCustomName1', Type: 'StringType', StringValue: 'Crew #' },
      ] }],
      CustomTxnNumbers: false, AllowDeposit: true, AllowDiscount: true, DefaultDiscountAccount: '86', AllowEstimates: true,
      AllowShipping: true, DefaultShippingAccount: '1', ETransactionEnabledStatus: 'NotApplicable', IPNSupportEnabled: false,
      AllowServiceDate: false, EstimateMessage: 'Thank you for your business and have a great day!', DefaultCustomerMessage: 'Thank you for your business and have a great day!',
    },
    VendorAndPurchasesPrefs: { TrackingByCustomer: true, BillableExpenseTracking: true, POCustomField: [] },
    TimeTrackingPrefs: { UseServices: true, BillCustomers: true, ShowBillRateToAll: false, WorkWeekStartDate: 'Monday', MarkTimeEntriesBillable: true },
    ...kindPreferences(realm.kind),
    ReportPrefs: { ReportBasis: 'Accrual', CalcAgingReportFromTxnDate: false },
    OtherPrefs: { NameValue: [{ Name: 'SalesFormsPrefs.DefaultCustomerMessage', Value: 'Thank you for your business and have a great day!' }] },
  }, '1', now));
}

export function seedRealm(id: string, name: string, now: number, kind: RealmKind = DEFAULT_REALM_KIND): Realm {
  const realm: Realm = {
    id, name, kind, createdAt: now, entities: new Map(), nextIds: new Map(), nextAddressId: 2, deleted: new Map(), requestIds: new Map(),
    behaviour: { ...INTUIT_BEHAVIOUR }, lagging: new Map(),
  };
  seedAccounts(realm, now);
  realm.nextIds.set('Account', 100);
  seedTaxCodes(realm, now);
  seedCurrencies(realm, now);
  seedCustomers(realm, now);
  seedVendorsAndEmployees(realm, now);
  seedItems(realm, now);
  seedCompany(realm, now);
  return realm;
}
