import type { RecordKind } from './validate.ts';

/**
 * The CSV entities: one file each (README.md, "CSV files"). `invoice-lines` carries the lines of invoices,
 * `credit-memo-lines` those of credit memos (`creditMemos` is the `credit-memos.csv` file).
 */
export type CsvEntity = RecordKind | 'invoice-lines' | 'credit-memo-lines';
export type LinesEntity = 'invoice-lines' | 'credit-memo-lines';

/** Columns per entity, in the documented order. Header cells match ignoring case, spaces, `_` and `-`. */
export const csvColumns: Record<CsvEntity, readonly string[]> = {
  companies: ['code', 'name', 'qbPrimaryCompany', 'settings'],
  customers: [
    'customerNo', 'name', 'email', 'phone', 'line1', 'line2', 'city', 'region', 'postalCode', 'country',
    'financialSystemCustomerId', 'secondaryCustomerId', 'active', 'currency',
  ],
  products: ['company', 'productNo', 'description', 'type', 'unitPrice', 'financialSystemProductId'],
  invoices: [
    'company', 'invoiceNo', 'customerNo', 'invoiceDate', 'dueDate', 'customerPo', 'status', 'transferred',
    'transferredAt', 'qboInvoiceId', 'freight', 'handling', 'packaging', 'orderDiscount', 'currency', 'taxAmount', 'exchangeRate',
    'shipLine1', 'shipLine2', 'shipCity', 'shipRegion', 'shipPostalCode', 'shipCountry',
  ],
  'invoice-lines': ['company', 'invoiceNo', 'productNo', 'charge', 'qboItemName', 'qty', 'unitPrice', 'description', 'taxable', 'taxCode'],
  creditMemos: [
    'company', 'memoNo', 'customerNo', 'memoDate', 'status', 'appliesTo', 'freight', 'handling', 'packaging', 'orderDiscount', 'taxAmount',
  ],
  'credit-memo-lines': ['company', 'memoNo', 'productNo', 'charge', 'qboItemName', 'qty', 'unitPrice', 'description', 'taxable', 'taxCode'],
};

/** What a lines file groups its rows by, and which records it adds lines to. */
export const linesOf: Record<LinesEntity, { key: 'invoiceNo' | 'memoNo'; kind: 'invoices' | 'creditMemos' }> = {
  'invoice-lines': { key: 'invoiceNo', kind: 'invoices' },
  'credit-memo-lines': { key: 'memoNo', kind: 'creditMemos' },
};

export function columnKey(header: string): string {
  return header.replace(/[\s_-]/g, '').toLowerCase();
}

/** The entity a file holds: from its name (`acme-invoice-lines.csv`), else from its header row. */
export function detectCsvEntity(fileName: string, header: readonly string[]): CsvEntity | null {
  const name = fileName.toLowerCase().replace(/\.csv$/, '');
  if (/credit[-_ ]?memo[-_ ]?lines$/.test(name)) return 'credit-memo-lines';
  if (/credit[-_ ]?memos$/.test(name)) return 'creditMemos';
  if (/(invoice[-_ ]?lines|lines)$/.test(name)) return 'invoice-lines';
  for (const entity of ['invoices', 'products', 'customers', 'companies'] as const) if (name.endsWith(entity)) return entity;
  const keys = new Set(header.map(columnKey));
  if (keys.has('memono')) return keys.has('qty') || keys.has('charge') ? 'credit-memo-lines' : 'creditMemos';
  if (keys.has('invoiceno') && (keys.has('qty') || keys.has('charge'))) return 'invoice-lines';
  if (keys.has('invoiceno')) return 'invoices';
  if (keys.has('productno')) return 'products';
  if (keys.has('customerno')) return 'customers';
  if (keys.has('code') && keys.has('name')) return 'companies';
  return null;
}
