import type { BillingAddress, CustomerRecord, InvoiceLineRecord, InvoiceRecord, ProductRecord } from './records.ts';
import type { Customer, DecimalString, InvoiceLine, Product, SalesInvoice } from './tables.ts';

/**
 * The ERP records as the exporter reads them: camelCase, flags as booleans, times as Dates; money stays decimal
 * text and calendar dates stay `YYYY-MM-DD`. The shapes are the write-side records' (records.ts) plus what only a
 * stored row has (its id, its last change). One mapper per table, each a plain object literal: the invoice reader
 * maps hundreds of rows a page, so no validation runs here (the import validated what was written).
 */

export interface ExportCustomer extends Omit<CustomerRecord, 'billingAddress' | 'qboIds' | 'currency'> {
  id: number;
  /** Always present; every field null when the ERP gave no address. */
  billingAddress: BillingAddress;
  /** null = the QuickBooks company's home currency. */
  currency: string | null;
  updatedAt: Date;
}

export interface ExportProduct extends Omit<ProductRecord, 'qboIds'> {
  id: number;
  updatedAt: Date;
}

export interface ExportInvoice extends Omit<InvoiceRecord, 'lines' | 'transferredAt' | 'qboRealmId' | 'taxAmount' | 'exchangeRate' | 'shipToAddress'> {
  id: number;
  transferredAt: Date | null;
  /** The books `qboInvoiceId` belongs to (null when not transferred). */
  qboRealmId: string | null;
  /** The tax the ERP computed; null = none given. */
  taxAmount: DecimalString | null;
  /** Home-currency units per invoice-currency unit as the ERP booked it; null = QuickBooks' own rate. */
  exchangeRate: DecimalString | null;
  /** Always present; every field null when the ERP gave no ship-to address. */
  shipToAddress: BillingAddress;
  /** What QuickBooks booked, written back after the create (null before). */
  qboHomeTotal: DecimalString | null;
  qboTotalTax: DecimalString | null;
  updatedAt: Date;
}

/** A line of an invoice or of a credit memo (the two tables have the same columns), with its product's number and QBO id. */
export interface ExportInvoiceLine extends Omit<InvoiceLineRecord, 'taxable' | 'taxCode'> {
  id: number;
  lineNo: number;
  /** Sales tax (US books): taxable or not; null = not said. */
  taxable: boolean | null;
  /** The ERP's tax code (mapped by the company's `taxCodes`); null = none. */
  taxCode: string | null;
  /** null on a line charge. */
  productNo: string | null;
  /** The product's QBO Item Id in the books read for; null when not matched or added there (or a line charge). */
  productQboId: string | null;
}

export function toExportCustomer(row: Customer): ExportCustomer {
  return {
    id: row.id,
    customerNo: row.customer_no,
    name: row.name,
    email: row.email,
    phone: row.phone,
    billingAddress: {
      line1: row.bill_line1,
      line2: row.bill_line2,
      city: row.bill_city,
      region: row.bill_region,
      postalCode: row.bill_postal_code,
      country: row.bill_country,
    },
    active: row.active === 1,
    currency: row.currency,
    updatedAt: new Date(row.updated_at),
  };
}

export function toExportProduct(row: Product): ExportProduct {
  return {
    id: row.id,
    companyId: row.company_id,
    productNo: row.product_no,
    description: row.description,
    type: row.type,
    unitPrice: row.unit_price,
    updatedAt: new Date(row.updated_at),
  };
}

type HeaderChargeColumns = Pick<SalesInvoice, 'freight' | 'handling' | 'packaging' | 'order_discount' | 'tax_amount'>;

/** The header charges and ERP tax of an invoice or credit memo row (both tables have these columns). */
export function headerChargesOf(row: HeaderChargeColumns): Pick<ExportInvoice, 'freight' | 'handling' | 'packaging' | 'orderDiscount' | 'taxAmount'> {
  return { freight: row.freight, handling: row.handling, packaging: row.packaging, orderDiscount: row.order_discount, taxAmount: row.tax_amount };
}

/** Whether an invoice or credit memo row is transferred, and when. */
export function transferOf(row: Pick<SalesInvoice, 'transferred' | 'transferred_at'>): Pick<ExportInvoice, 'transferred' | 'transferredAt'> {
  return { transferred: row.transferred === 1, transferredAt: row.transferred_at === null ? null : new Date(row.transferred_at) };
}

export function toExportInvoice(row: SalesInvoice): ExportInvoice {
  return {
    id: row.id,
    companyId: row.company_id,
    invoiceNo: row.invoice_no,
    customerId: row.customer_id,
    invoiceDate: row.invoice_date,
    dueDate: row.due_date,
    customerPo: row.customer_po,
    status: row.status,
    ...transferOf(row),
    qboInvoiceId: row.qbo_invoice_id,
    qboRealmId: row.qbo_realm_id,
    ...headerChargesOf(row),
    currency: row.currency,
    exchangeRate: row.exchange_rate,
    shipToAddress: {
      line1: row.ship_line1,
      line2: row.ship_line2,
      city: row.ship_city,
      region: row.ship_region,
      postalCode: row.ship_postal_code,
      country: row.ship_country,
    },
    qboHomeTotal: row.qbo_home_total,
    qboTotalTax: row.qbo_total_tax,
    updatedAt: new Date(row.updated_at),
  };
}

/** A line row of either line table, joined with its product's number and QBO id. */
export type LineRow = Omit<InvoiceLine, 'invoice_id'> & { product_no: string | null; product_qbo_id: string | null };

export function toExportInvoiceLine(row: LineRow): ExportInvoiceLine {
  return {
    id: row.id,
    lineNo: row.line_no,
    productId: row.product_id,
    charge: row.charge,
    qboItemName: row.qbo_item_name,
    qty: row.qty,
    unitPrice: row.unit_price,
    description: row.description,
    taxable: row.taxable === null ? null : row.taxable === 1,
    taxCode: row.tax_code,
    productNo: row.product_no,
    productQboId: row.product_qbo_id,
  };
}
