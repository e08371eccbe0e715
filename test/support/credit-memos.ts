import { invoice } from './export-fixture.ts';

/** An approved credit memo of company CM for the credit-memo end-to-end tests. */
export function memo(memoNo: string, customerNo: string, lines: object[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { company: 'CM', memoNo, customerNo, memoDate: '2026-11-10', status: 'approved', lines, ...extra };
}

/** Two customers, a product, three invoices of 100.00 (INV-A, INV-B, INV-C) and their credit memos. */
export function creditDocument(settings: Record<string, unknown>, creditMemos: object[]): Record<string, unknown[]> {
  return {
    companies: [{ code: 'CM', name: 'Credit Memo Co', qbPrimaryCompany: true, settings: { freightItem: 'Shipping', ...settings } }],
    customers: [{ customerNo: 'CM-1', name: 'Credited Customer & Co' }, { customerNo: 'CM-2', name: 'Other Customer' }],
    products: [{ company: 'CM', productNo: 'CM-WIDGET', type: 'NonInventory', unitPrice: '10' }],
    invoices: ['INV-A', 'INV-B', 'INV-C'].map((no) => invoice('CM', no, 'CM-1', [{ productNo: 'CM-WIDGET', qty: '10', unitPrice: '10' }])),
    creditMemos,
  };
}
