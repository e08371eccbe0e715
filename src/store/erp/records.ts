import type { Books } from './qbo-ids.ts';
import type { DecimalString, InvoiceStatus, IsoDate, ProductType } from './tables.ts';

/**
 * Validated records ready to be written, keyed by natural keys and already resolved to database ids.
 * The import (store/import) and the REST API produce them; the upserts (upserts.ts) write them.
 */
export interface BillingAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface CustomerRecord {
  customerNo: string;
  name: string;
  email: string | null;
  phone: string | null;
  billingAddress: BillingAddress | null;
  /** QBO ids per QuickBooks company's books (seed-ids.ts resolves the seed's fields); absent ids keep the stored ones. */
  qboIds?: ReadonlyArray<{ books: Books; qboId: string }> | undefined;
  active: boolean;
  /** null = the QuickBooks company's home currency. */
  currency?: string | null | undefined;
}

export interface ProductRecord {
  companyId: number;
  productNo: string;
  description: string | null;
  type: ProductType;
  unitPrice: DecimalString;
  /** QBO ids per books, as for customers; absent ids keep the stored ones. */
  qboIds?: ReadonlyArray<{ books: Books; qboId: string }> | undefined;
}

export interface InvoiceLineRecord {
  /** A product line names the product; a line charge names the existing QBO item instead. */
  productId: number | null;
  charge: string | null;
  qboItemName: string | null;
  qty: DecimalString;
  unitPrice: DecimalString;
  description: string | null;
  taxable?: boolean | null | undefined;
  taxCode?: string | null | undefined;
}

export interface InvoiceRecord {
  companyId: number;
  invoiceNo: string;
  customerId: number;
  invoiceDate: IsoDate;
  dueDate: IsoDate | null;
  customerPo: string | null;
  status: InvoiceStatus;
  transferred: boolean;
  transferredAt: string | null;
  qboInvoiceId: string | null;
  /** The books `qboInvoiceId` belongs to (null when not transferred). */
  qboRealmId?: string | null | undefined;
  freight: DecimalString;
  handling: DecimalString;
  packaging: DecimalString;
  orderDiscount: DecimalString;
  /** null = the QuickBooks company's home currency. */
  currency: string | null;
  taxAmount?: DecimalString | null | undefined;
  exchangeRate?: DecimalString | null | undefined;
  shipToAddress?: BillingAddress | null | undefined;
  /** Replace the stored lines; undefined keeps them (a CSV header-only file). */
  lines: InvoiceLineRecord[] | undefined;
}
