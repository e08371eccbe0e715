import { QboFault, faults } from '../wire.ts';
import type { Row } from '../realm.ts';

/**
 * What QBO's deserializer knows about each entity: property names (an unknown one is 2010, as in
 * fixture invoice-unknown-property-2010.json) and the JSON kind of the properties we read.
 */
export type Kind = 'string' | 'decimal' | 'bool' | 'ref' | 'object' | 'array' | 'any';

const common = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status'];
const person = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'DisplayName', 'PrintOnCheckName', 'Active', 'PrimaryPhone', 'AlternatePhone', 'Mobile', 'Fax', 'PrimaryEmailAddr', 'WebAddr', 'V4IDPseudonym', 'Source'];

const txn = [
  'DocNumber', 'TxnDate', 'DueDate', 'ShipDate', 'TrackingNum', 'PrivateNote', 'CustomerMemo', 'Line', 'CustomerRef', 'BillAddr', 'ShipAddr', 'ShipFromAddr',
  'FreeFormAddress', 'BillEmail', 'BillEmailCc', 'BillEmailBcc', 'CurrencyRef', 'ExchangeRate', 'TotalAmt', 'HomeTotalAmt', 'Balance', 'HomeBalance',
  'TxnTaxDetail', 'ApplyTaxAfterDiscount', 'PrintStatus', 'EmailStatus', 'DeliveryInfo', 'LinkedTxn', 'CustomField', 'ClassRef', 'DepartmentRef',
  'SalesTermRef', 'ShipMethodRef', 'DepositToAccountRef', 'GlobalTaxCalculation', 'TransactionLocationType', 'TxnSource', 'TxnStatus', 'ProjectRef',
  'TaxExemptionRef', 'AutoDocNumber', 'RecurDataRef', 'Tag', 'TaxFormNum', 'TaxFormType', 'PONumber', 'FOB', 'SalesRepRef',
];

export interface EntityDef {
  name: string;
  javaClass: string;
  props: ReadonlySet<string>;
  /** Name-list entities are deactivated, never deleted (docs/qbo-behaviour.md §2.1). */
  nameList: boolean;
  transaction: boolean;
  /** Singletons whose shape we do not police (CompanyInfo, Preferences). */
  open: boolean;
  creatable: boolean;
}

function def(name: string, props: string[], kind: 'name' | 'txn' | 'open' | 'readonly'): EntityDef {
  return {
    name, javaClass: `com.intuit.schema.finance.v3.${name}`, props: new Set([...common, ...props]),
    nameList: kind === 'name' || kind === 'readonly', transaction: kind === 'txn', open: kind === 'open', creatable: kind === 'name' || kind === 'txn',
  };
}

export const entityDefs: Record<string, EntityDef> = Object.fromEntries([
  def('Customer', [...person, 'FullyQualifiedName', 'CompanyName', 'DefaultTaxCodeRef', 'Taxable', 'BillAddr', 'ShipAddr', 'OtherAddr', 'Notes', 'Job', 'BillWithParent',
    'ParentRef', 'Level', 'SalesTermRef', 'PaymentMethodRef', 'Balance', 'OpenBalanceDate', 'BalanceWithJobs', 'CurrencyRef', 'PreferredDeliveryMethod', 'ResaleNum',
    'ARAccountRef', 'TaxExemptionReasonId', 'PrimaryTaxIdentifier', 'SecondaryTaxIdentifier', 'BusinessNumber', 'GSTIN', 'GSTRegistrationType', 'IsProject',
    'ClientEntityId', 'CustomerTypeRef'], 'name'),
  def('Vendor', [...person, 'CompanyName', 'BillAddr', 'OtherContactInfo', 'TaxIdentifier', 'TermRef', 'Balance', 'AcctNum', 'Vendor1099', 'CurrencyRef', 'APAccountRef',
    'BillRate', 'CostRate', 'GSTIN', 'BusinessNumber', 'TaxReportingBasis', 'VendorPaymentBankDetail', 'T4AEligible', 'T5018Eligible', 'HasTPAR'], 'name'),
  def('Employee', [...person, 'PrimaryAddr', 'EmployeeNumber', 'SSN', 'BillableTime', 'BillRate', 'CostRate', 'BirthDate', 'Gender', 'HiredDate', 'ReleasedDate', 'Organization'], 'name'),
  def('Item', ['Name', 'Sku', 'Description', 'Active', 'SubItem', 'ParentRef', 'Level', 'FullyQualifiedName', 'Taxable', 'SalesTaxIncluded', 'UnitPrice', 'RatePercent', 'Type',
    'IncomeAccountRef', 'PurchaseDesc', 'PurchaseTaxIncluded', 'PurchaseCost', 'ExpenseAccountRef', 'AssetAccountRef', 'TrackQtyOnHand', 'QtyOnHand', 'QtyOnPurchaseOrder',
    'QtyOnSalesOrder', 'InvStartDate', 'SalesTaxCodeRef', 'PurchaseTaxCodeRef', 'ReorderPoint', 'AbatementRate', 'ReverseChargeRate', 'ServiceType', 'ItemCategoryType',
    'ClassRef', 'PrefVendorRef', 'UQCDisplayText', 'UQCId', 'TaxClassificationRef', 'Source'], 'name'),
  def('Account', ['Name', 'SubAccount', 'ParentRef', 'Description', 'FullyQualifiedName', 'Active', 'Classification', 'AccountType', 'AccountSubType', 'AcctNum',
    'CurrentBalance', 'CurrentBalanceWithSubAccounts', 'CurrencyRef', 'TaxCodeRef', 'AccountAlias', 'TxnLocationType', 'OpeningBalance', 'OpeningBalanceDate'], 'name'),
  def('TaxCode', ['Name', 'Description', 'Active', 'Hidden', 'Taxable', 'TaxGroup', 'SalesTaxRateList', 'PurchaseTaxRateList', 'TaxCodeConfigType'], 'readonly'),
  def('TaxRate', ['Name', 'Description', 'Active', 'RateValue', 'AgencyRef', 'SpecialTaxType', 'DisplayType', 'EffectiveTaxRate', 'TaxReturnLineRef',
    'OriginalTaxRate'], 'readonly'),
  def('CompanyCurrency', ['Code', 'Name', 'Active', 'CustomField'], 'readonly'),
  def('Currency', ['Code', 'Name', 'Active', 'Symbol'], 'readonly'),
  def('Invoice', [...txn, 'AllowIPNPayment', 'AllowOnlinePayment', 'AllowOnlineCreditCardPayment', 'AllowOnlineACHPayment', 'Deposit', 'InvoiceLink'], 'txn'),
  def('CreditMemo', [...txn, 'RemainingCredit', 'InvoiceRef', 'PaymentMethodRef', 'PaymentRefNum'], 'txn'),
  def('Payment', ['TxnDate', 'PrivateNote', 'Line', 'CustomerRef', 'CurrencyRef', 'ExchangeRate', 'TotalAmt', 'UnappliedAmt', 'ProcessPayment', 'PaymentRefNum',
    'PaymentMethodRef', 'DepositToAccountRef', 'ARAccountRef', 'CreditCardPayment', 'TxnSource', 'TxnStatus', 'TransactionLocationType', 'ProjectRef', 'TaxExemptionRef',
    'LinkedTxn', 'DocNumber'], 'txn'),
  def('SalesReceipt', [...txn, 'PaymentMethodRef', 'PaymentRefNum', 'CreditCardPayment', 'Deposit'], 'txn'),
  def('CompanyInfo', [], 'open'),
  def('Preferences', [], 'open'),
].map((d) => [d.name, d]));

const byLower = new Map(Object.values(entityDefs).map((d) => [d.name.toLowerCase(), d]));

/** Entity path segments and query entity names are case-insensitive. */
export function entityByName(name: string): EntityDef | undefined {
  return byLower.get(name.toLowerCase());
}

const lineProps = new Set(['Id', 'LineNum', 'Description', 'Amount', 'DetailType', 'LinkedTxn', 'SalesItemLineDetail', 'GroupLineDetail', 'DescriptionLineDetail',
  'DiscountLineDetail', 'SubTotalLineDetail', 'TaxLineDetail', 'DepositLineDetail', 'CustomField', 'LineEx', 'ProjectRef']);
const detailProps: Record<string, ReadonlySet<string>> = {
  SalesItemLineDetail: new Set(['ItemRef', 'ClassRef', 'UnitPrice', 'RatePercent', 'PriceLevelRef', 'MarkupInfo', 'Qty', 'UOMRef', 'ItemAccountRef', 'InventorySiteRef',
    'TaxCodeRef', 'TaxClassificationRef', 'ServiceDate', 'TaxInclusiveAmt', 'DiscountRate', 'DiscountAmt', 'SalesItemLineDetailEx', 'TaxRateRef']),
  DiscountLineDetail: new Set(['DiscountRef', 'PercentBased', 'DiscountPercent', 'DiscountAccountRef', 'ClassRef', 'TaxCodeRef']),
  SubTotalLineDetail: new Set(['ItemRef', 'ServiceDate']),
  DescriptionLineDetail: new Set(['ServiceDate', 'TaxCodeRef']),
};

const decimals = new Set(['Amount', 'UnitPrice', 'Qty', 'TotalAmt', 'Balance', 'QtyOnHand', 'PurchaseCost', 'DiscountPercent', 'ExchangeRate', 'Deposit',
  'HomeTotalAmt', 'HomeBalance', 'BalanceWithJobs', 'CurrentBalance', 'CurrentBalanceWithSubAccounts', 'RatePercent', 'ReorderPoint', 'BillRate', 'CostRate',
  'RemainingCredit', 'UnappliedAmt', 'LineNum', 'OpeningBalance', 'DiscountRate', 'DiscountAmt', 'TaxInclusiveAmt']);
const bools = new Set(['Active', 'Taxable', 'Job', 'BillWithParent', 'sparse', 'TrackQtyOnHand', 'PercentBased', 'AllowIPNPayment', 'AllowOnlinePayment',
  'AllowOnlineCreditCardPayment', 'AllowOnlineACHPayment', 'Vendor1099', 'SubAccount', 'BillableTime', 'ApplyTaxAfterDiscount', 'SubItem', 'SalesTaxIncluded',
  'PurchaseTaxIncluded', 'IsProject', 'Hidden', 'TaxGroup', 'AutoDocNumber', 'ProcessPayment']);
const strings = new Set(['Id', 'SyncToken', 'DisplayName', 'GivenName', 'MiddleName', 'FamilyName', 'Title', 'Suffix', 'CompanyName', 'PrintOnCheckName', 'Notes',
  'Name', 'Type', 'Description', 'Sku', 'DocNumber', 'TxnDate', 'DueDate', 'PrivateNote', 'AccountType', 'AccountSubType', 'AcctNum', 'InvStartDate', 'DetailType',
  'PurchaseDesc', 'FullyQualifiedName', 'PreferredDeliveryMethod', 'ShipDate', 'TrackingNum', 'PrintStatus', 'EmailStatus', 'GlobalTaxCalculation', 'ServiceDate']);
const arrays = new Set(['Line', 'LinkedTxn', 'CustomField']);

export function kindOf(prop: string): Kind {
  if (decimals.has(prop)) return 'decimal';
  if (bools.has(prop)) return 'bool';
  if (strings.has(prop)) return 'string';
  if (arrays.has(prop)) return 'array';
  if (prop.endsWith('Ref')) return 'ref';
  if (prop.endsWith('Addr') || prop === 'MetaData' || prop === 'CustomerMemo' || prop === 'TxnTaxDetail' || prop.endsWith('Phone') || prop === 'Mobile' || prop === 'Fax') {
    return 'object';
  }
  return 'any';
}

function unknownField(prop: string, javaClass: string, known: ReadonlySet<string>): QboFault {
  const list = [...known].map((k) => `"${k}"`).join(', ');
  return faults.invalidProperty(
    `Unrecognized field "${prop}" (class ${javaClass}), not marked as ignorable (${known.size} known properties: ${list}])\n`,
  );
}

function wrongType(prop: string, value: unknown, kind: Kind): QboFault {
  const shown = JSON.stringify(value)?.slice(0, 60) ?? 'null';
  const target = { decimal: 'java.math.BigDecimal', bool: 'boolean', string: 'java.lang.String', ref: 'com.intuit.schema.finance.v3.ReferenceType', object: 'java.lang.Object', array: 'java.util.ArrayList', any: 'java.lang.Object' }[kind];
  return faults.invalidProperty(`Cannot deserialize value of type \`${target}\` from ${shown} (property "${prop}")\n`);
}

/** Jackson's coercions: numbers from numeric strings, booleans from "true"/"false", strings from scalars. */
function typeOk(value: unknown, kind: Kind): boolean {
  if (value === null) return true;
  switch (kind) {
    case 'decimal':
      return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()));
    case 'bool':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    case 'ref':
      return typeof value === 'object' && !Array.isArray(value) && ((value as Row).value === undefined || ['string', 'number'].includes(typeof (value as Row).value));
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

function checkObject(obj: Row, known: ReadonlySet<string> | null, javaClass: string): QboFault | null {
  for (const [prop, value] of Object.entries(obj)) {
    if (known && !known.has(prop)) return unknownField(prop, javaClass, known);
    const kind = kindOf(prop);
    if (!typeOk(value, kind)) return wrongType(prop, value, kind);
  }
  return null;
}

/** Checks a request body against the entity's shape; null when it deserializes. */
export function checkShape(def: EntityDef, body: unknown): QboFault | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return faults.invalidProperty(`Cannot deserialize instance of \`${def.javaClass}\` out of ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE'} token\n`);
  }
  const top = checkObject(body as Row, def.open ? null : def.props, def.javaClass);
  if (top || !def.transaction) return top;
  for (const line of ((body as Row).Line as unknown[] | undefined) ?? []) {
    if (typeof line !== 'object' || line === null || Array.isArray(line)) return wrongType('Line', line, 'object');
    const fault = checkObject(line as Row, lineProps, 'com.intuit.schema.finance.v3.Line');
    if (fault) return fault;
    for (const [detailName, props] of Object.entries(detailProps)) {
      const detail = (line as Row)[detailName];
      if (detail === undefined || detail === null) continue;
      if (typeof detail !== 'object' || Array.isArray(detail)) return wrongType(detailName, detail, 'object');
      const inner = checkObject(detail as Row, props, `com.intuit.schema.finance.v3.${detailName}`);
      if (inner) return inner;
    }
  }
  return null;
}
