import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A decimal number kept exactly as text, e.g. "12.50" (never a float). */
export type DecimalString = string;
/** 0 or 1: both dialects store flags as integers (better-sqlite3 cannot bind booleans). */
export type Flag = 0 | 1;
/** ISO-8601 date `YYYY-MM-DD`. */
export type IsoDate = string;
/** ISO-8601 UTC timestamp. */
export type IsoTime = string;

export interface CompaniesTable {
  id: Generated<number>;
  code: string;
  name: string;
  qb_primary_company: ColumnType<Flag, Flag | undefined, Flag>;
  /** JSON of the export settings (parsed by export/settings.ts). */
  settings: ColumnType<string, string | undefined, string>;
  created_at: IsoTime;
  /** The QuickBooks company (realm) the company is connected to now, or was last; null before its first connection. */
  qbo_realm_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CustomersTable {
  id: Generated<number>;
  customer_no: string;
  name: string;
  email: string | null;
  phone: string | null;
  bill_line1: string | null;
  bill_line2: string | null;
  bill_city: string | null;
  bill_region: string | null;
  bill_postal_code: string | null;
  bill_country: string | null;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  /** ISO currency code; null = the QuickBooks company's home currency (migration 0010). */
  currency: string | null;
  updated_at: IsoTime;
}

export type ProductType = 'NonInventory' | 'Service' | 'Inventory';

export interface ProductsTable {
  id: Generated<number>;
  company_id: number;
  product_no: string;
  description: string | null;
  type: ColumnType<ProductType, ProductType | undefined, ProductType>;
  unit_price: ColumnType<DecimalString, DecimalString | undefined, DecimalString>;
  updated_at: IsoTime;
}

export type InvoiceStatus = 'draft' | 'approved';

export interface SalesInvoicesTable {
  id: Generated<number>;
  company_id: number;
  invoice_no: string;
  customer_id: number;
  invoice_date: IsoDate;
  due_date: IsoDate | null;
  customer_po: string | null;
  status: ColumnType<InvoiceStatus, InvoiceStatus | undefined, InvoiceStatus>;
  transferred: ColumnType<Flag, Flag | undefined, Flag>;
  transferred_at: IsoTime | null;
  qbo_invoice_id: string | null;
  /** The books (realm) `qbo_invoice_id` belongs to: the invoice stays transferred there after a change of books. */
  qbo_realm_id: ColumnType<string | null, string | null | undefined, string | null>;
  freight: ColumnType<DecimalString, DecimalString | undefined, DecimalString>;
  handling: ColumnType<DecimalString, DecimalString | undefined, DecimalString>;
  packaging: ColumnType<DecimalString, DecimalString | undefined, DecimalString>;
  order_discount: ColumnType<DecimalString, DecimalString | undefined, DecimalString>;
  /** ISO currency code; null = the QuickBooks company's home currency. */
  currency: string | null;
  /** The tax the ERP computed (billed exactly in the `erp` sales-tax mode); null = none given. */
  tax_amount: DecimalString | null;
  /** Home-currency units per one invoice-currency unit, as the ERP booked it; null = QuickBooks' own rate. */
  exchange_rate: DecimalString | null;
  ship_line1: string | null;
  ship_line2: string | null;
  ship_city: string | null;
  ship_region: string | null;
  ship_postal_code: string | null;
  ship_country: string | null;
  /** Written back after the create: QuickBooks' HomeTotalAmt (or TotalAmt in the home currency) and TotalTax. */
  qbo_home_total: DecimalString | null;
  qbo_total_tax: DecimalString | null;
  updated_at: IsoTime;
}

/** A product line (product_id set) or a line charge (charge + qbo_item_name set), never both. */
export interface InvoiceLinesTable {
  id: Generated<number>;
  invoice_id: number;
  line_no: number;
  product_id: number | null;
  charge: string | null;
  qbo_item_name: string | null;
  qty: DecimalString;
  unit_price: DecimalString;
  description: string | null;
  /** Sales tax: taxable or not (US books), or the ERP's tax code (mapped by the company's `taxCodes`). */
  taxable: Flag | null;
  tax_code: string | null;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  /** scrypt, self-describing: `scrypt$N$r$p$salt$hash` (see store/users). */
  password_hash: string;
  current_company_id: number | null;
  created_at: IsoTime;
  /** 1: may create and change customers (organisation-wide master data) without access to every company. */
  master_data: Generated<number>;
}

export interface UserCompaniesTable {
  user_id: number;
  company_id: number;
}

export type QboIdKind = 'customer' | 'product';

/**
 * A customer's or product's QBO id in one QuickBooks company's books. `realm_id` is the realm, or
 * `company:<id>` for the books of a company not yet connected (moved to its realm on its first connection).
 */
export interface QboIdsTable {
  realm_id: string;
  kind: QboIdKind;
  record_id: number;
  qbo_id: string;
  updated_at: IsoTime;
}

export interface ErpTables {
  qbo_ids: QboIdsTable;
  companies: CompaniesTable;
  customers: CustomersTable;
  products: ProductsTable;
  sales_invoices: SalesInvoicesTable;
  invoice_lines: InvoiceLinesTable;
  users: UsersTable;
  user_companies: UserCompaniesTable;
}

export type Company = Selectable<CompaniesTable>;
export type Customer = Selectable<CustomersTable>;
export type NewCustomer = Insertable<CustomersTable>;
export type CustomerUpdate = Updateable<CustomersTable>;
export type Product = Selectable<ProductsTable>;
export type SalesInvoice = Selectable<SalesInvoicesTable>;
export type InvoiceLine = Selectable<InvoiceLinesTable>;
export type User = Selectable<UsersTable>;
