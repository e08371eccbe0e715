import Big from 'big.js';
import { z } from 'zod';

/**
 * QBO's entity shapes (docs/qbo-behaviour.md §6) as lenient schemas: `looseObject` keeps the many fields QBO
 * adds over time (V4IDPseudonym, CustomField, …), only the fields the export relies on are typed.
 * Amounts arrive as JSON numbers; they are turned into exact decimal strings here so that no float
 * reaches the exporter (docs/design.md rule 10). QBO amounts have ≤ 15 significant digits, which a double
 * round-trips exactly through its shortest decimal form.
 */
export const decimalString = z.union([z.number(), z.string()]).transform((v) => new Big(v).toFixed());

const ref = z.looseObject({ value: z.string(), name: z.string().optional() });
export type QboRef = z.infer<typeof ref>;

const address = z.looseObject({
  Id: z.string().optional(),
  Line1: z.string().optional(),
  Line2: z.string().optional(),
  Line3: z.string().optional(),
  City: z.string().optional(),
  Country: z.string().optional(),
  CountrySubDivisionCode: z.string().optional(),
  PostalCode: z.string().optional(),
});

const metaData = z.looseObject({ CreateTime: z.string().optional(), LastUpdatedTime: z.string().optional() });

/** Fields every stored QBO object has (`Id` always; `SyncToken` on everything that can be updated). */
const base = {
  Id: z.string(),
  SyncToken: z.string().optional(),
  domain: z.string().optional(),
  sparse: z.boolean().optional(),
  MetaData: metaData.optional(),
};

/** Any stored QBO object, for entities the export does not use (SalesReceipt, Estimate, Attachable, …). */
export const qboObjectSchema = z.looseObject(base);

const nameListBase = { ...base, Active: z.boolean().optional(), FullyQualifiedName: z.string().optional() };

const person = {
  ...nameListBase,
  DisplayName: z.string().optional(),
  GivenName: z.string().optional(),
  FamilyName: z.string().optional(),
  CompanyName: z.string().optional(),
  PrimaryEmailAddr: z.looseObject({ Address: z.string().optional() }).optional(),
  PrimaryPhone: z.looseObject({ FreeFormNumber: z.string().optional() }).optional(),
  BillAddr: address.optional(),
};

export const customerSchema = z.looseObject({
  ...person,
  ShipAddr: address.optional(),
  Balance: decimalString.optional(),
  Taxable: z.boolean().optional(),
  Job: z.boolean().optional(),
  ParentRef: ref.optional(),
  CurrencyRef: ref.optional(),
});
export const vendorSchema = z.looseObject({ ...person, Balance: decimalString.optional(), CurrencyRef: ref.optional() });
export const employeeSchema = z.looseObject({ ...person });

export const itemSchema = z.looseObject({
  ...nameListBase,
  Name: z.string(),
  Sku: z.string().optional(),
  Type: z.string().optional(),
  Description: z.string().optional(),
  UnitPrice: decimalString.optional(),
  Taxable: z.boolean().optional(),
  IncomeAccountRef: ref.optional(),
  ExpenseAccountRef: ref.optional(),
  AssetAccountRef: ref.optional(),
});

export const accountSchema = z.looseObject({
  ...nameListBase,
  Name: z.string(),
  AccountType: z.string().optional(),
  AccountSubType: z.string().optional(),
  Classification: z.string().optional(),
  CurrentBalance: decimalString.optional(),
});

export const taxCodeSchema = z.looseObject({
  ...nameListBase,
  Name: z.string(),
  Description: z.string().optional(),
  Taxable: z.boolean().optional(),
  TaxGroup: z.boolean().optional(),
  /** The sales rates behind a code (non-US: one rate per code; TaxRate Ids). */
  SalesTaxRateList: z.looseObject({ TaxRateDetail: z.array(z.looseObject({ TaxRateRef: ref.optional() })).optional() }).optional(),
});

export const taxRateSchema = z.looseObject({ ...nameListBase, Name: z.string().optional(), RateValue: decimalString.optional() });

/** The currency list of a multi-currency company (every currency but the home one). */
export const companyCurrencySchema = z.looseObject({ ...nameListBase, Code: z.string(), Name: z.string().optional() });

const salesLine = z.looseObject({
  Id: z.string().optional(),
  LineNum: z.number().optional(),
  Description: z.string().optional(),
  Amount: decimalString.optional(),
  DetailType: z.string(),
  SalesItemLineDetail: z
    .looseObject({
      ItemRef: ref.optional(),
      Qty: decimalString.optional(),
      UnitPrice: decimalString.optional(),
      TaxCodeRef: ref.optional(),
    })
    .optional(),
});

const transaction = {
  ...base,
  DocNumber: z.string().optional(),
  TxnDate: z.string().optional(),
  CustomerRef: ref.optional(),
  Line: z.array(salesLine).optional(),
  TotalAmt: decimalString.optional(),
  Balance: decimalString.optional(),
  PrivateNote: z.string().optional(),
  CustomerMemo: z.looseObject({ value: z.string() }).optional(),
  CurrencyRef: ref.optional(),
  ExchangeRate: decimalString.optional(),
  HomeTotalAmt: decimalString.optional(),
  TxnTaxDetail: z.looseObject({ TotalTax: decimalString.optional(), TxnTaxCodeRef: ref.optional() }).optional(),
  BillAddr: address.optional(),
  ShipAddr: address.optional(),
  /** "Deleted" on a delete answer (then only Id and domain are present). */
  status: z.string().optional(),
};

/** A link between transactions: on an invoice, the payments (and credit memos) applied to it (Intuit's LinkedTxn). */
const linkedTxn = z.looseObject({ TxnId: z.string(), TxnType: z.string() });

export const invoiceSchema = z.looseObject({ ...transaction, DueDate: z.string().optional(), LinkedTxn: z.array(linkedTxn).optional() });

/**
 * Payment: `Line[].LinkedTxn` names what each applied amount pays (Intuit's Payment entity page) — an Invoice, or a
 * CreditMemo whose credit the payment applies (issue 16: a Payment of 0 linking both applies a credit).
 */
export const paymentSchema = z.looseObject({
  ...base,
  TxnDate: z.string().optional(),
  CustomerRef: ref.optional(),
  TotalAmt: decimalString.optional(),
  UnappliedAmt: decimalString.optional(),
  Line: z.array(z.looseObject({ Amount: decimalString.optional(), LinkedTxn: z.array(linkedTxn).optional() })).optional(),
  PrivateNote: z.string().optional(),
  status: z.string().optional(),
});
export const creditMemoSchema = z.looseObject({ ...transaction, RemainingCredit: decimalString.optional() });

export const companyInfoSchema = z.looseObject({
  ...base,
  CompanyName: z.string().optional(),
  LegalName: z.string().optional(),
  Country: z.string().optional(),
});

export const preferencesSchema = z.looseObject({
  ...base,
  SalesFormsPrefs: z
    .looseObject({ AllowShipping: z.boolean().optional(), CustomTxnNumbers: z.boolean().optional() })
    .optional(),
  CurrencyPrefs: z.looseObject({ MultiCurrencyEnabled: z.boolean().optional(), HomeCurrency: z.looseObject({ value: z.string() }).optional() }).optional(),
  TaxPrefs: z.looseObject({ PartnerTaxEnabled: z.boolean().optional() }).optional(),
});

export const entitySchemas = {
  Customer: customerSchema,
  Item: itemSchema,
  Invoice: invoiceSchema,
  Account: accountSchema,
  TaxCode: taxCodeSchema,
  TaxRate: taxRateSchema,
  CompanyCurrency: companyCurrencySchema,
  Vendor: vendorSchema,
  Employee: employeeSchema,
  CreditMemo: creditMemoSchema,
  Payment: paymentSchema,
  CompanyInfo: companyInfoSchema,
  Preferences: preferencesSchema,
} as const;

export type EntityName = keyof typeof entitySchemas;
export type EntityOf<E extends EntityName> = z.infer<(typeof entitySchemas)[E]>;
export const entityNames = Object.keys(entitySchemas) as EntityName[];

export type Customer = EntityOf<'Customer'>;
export type Item = EntityOf<'Item'>;
export type Invoice = EntityOf<'Invoice'>;
export type Account = EntityOf<'Account'>;
export type TaxCode = EntityOf<'TaxCode'>;
export type Vendor = EntityOf<'Vendor'>;
export type Employee = EntityOf<'Employee'>;
export type CreditMemo = EntityOf<'CreditMemo'>;
export type Payment = EntityOf<'Payment'>;
export type CompanyInfo = EntityOf<'CompanyInfo'>;
export type Preferences = EntityOf<'Preferences'>;

/** The URL segment of an entity: QBO's URIs are case sensitive and every client uses lower case (§2.1). */
export function entityPath(entity: EntityName): string {
  return entity.toLowerCase();
}

export function isEntityName(value: string): value is EntityName {
  return Object.hasOwn(entitySchemas, value);
}
