import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExportInvoiceLine } from '../store/erp/app-types.ts';
import type { InvoiceWithLines } from '../store/erp/invoices.ts';
import { toQboJson } from '../qbo/client.ts';
import { itemNamesNeeded, mapInvoice, sameMoney, type InvoiceMappingContext } from './invoice-mapping.ts';

function line(n: number, over: Partial<ExportInvoiceLine>): ExportInvoiceLine {
  return {
    id: n, lineNo: n, productId: 10, charge: null, qboItemName: null, qty: '1', unitPrice: '1',
    description: null, productNo: 'WIDGET-1', productQboId: '55', taxable: null, taxCode: null, ...over,
  };
}

function invoice(lines: ExportInvoiceLine[], over: Partial<InvoiceWithLines['invoice']> = {}): InvoiceWithLines {
  const at = new Date('2026-11-01T00:00:00.000Z');
  const noAddress = { line1: null, line2: null, city: null, region: null, postalCode: null, country: null };
  return {
    invoice: {
      id: 1, companyId: 1, invoiceNo: 'INV-1001', customerId: 1, invoiceDate: '2026-11-02', dueDate: '2026-12-02',
      customerPo: 'PO-77', status: 'approved', transferred: false, transferredAt: null, qboInvoiceId: null, qboRealmId: null,
      freight: '0', handling: '0', packaging: '0', orderDiscount: '0', currency: 'USD', updatedAt: at,
      taxAmount: null, exchangeRate: null, shipToAddress: noAddress, qboHomeTotal: null, qboTotalTax: null, ...over,
    },
    customer: {
      id: 1, customerNo: 'C-100', name: "O'Brien & Sons", email: null, phone: null, billingAddress: noAddress, active: true, updatedAt: at, currency: null,
    },
    customerQboId: '7',
    lines,
  };
}

const ctx = (over: Partial<InvoiceMappingContext> = {}): InvoiceMappingContext => ({
  customerQboId: '7',
  itemsByName: new Map([
    ['setup', { id: '20', name: 'Setup', active: true }],
    ['freight', { id: '21', name: 'Freight', active: true }],
    ['old', { id: '22', name: 'Old', active: false }],
  ]),
  headerCharges: { passOrderDiscount: false },
  ...over,
});

void describe('mapInvoice', () => {
  void it('rounds each line half-up to the cent: 3 × 0.3333 → 1.00 and 7 × 19.99 → 139.93', () => {
    const result = mapInvoice(invoice([line(1, { qty: '3', unitPrice: '0.3333' }), line(2, { qty: '7', unitPrice: '19.99' })]), ctx());
    assert.ok(result.ok);
    assert.equal(result.expectedTotal, '140.93');
    const json = JSON.parse(toQboJson(result.payload)) as { Line: Array<{ Amount: number }> };
    assert.deepEqual(json.Line.map((l) => l.Amount), [1, 139.93]);
    assert.match(toQboJson(result.payload), /"Qty":3,"UnitPrice":0\.3333/);
  });

  void it('maps the header: DocNumber, dates, customer, and the customer PO in the memo', () => {
    const result = mapInvoice(invoice([line(1, { description: 'Widget, steel' })]), ctx());
    assert.ok(result.ok);
    assert.equal(result.payload.DocNumber, 'INV-1001');
    assert.equal(result.payload.TxnDate, '2026-11-02');
    assert.equal(result.payload.DueDate, '2026-12-02');
    assert.deepEqual(result.payload.CustomerRef, { value: '7' });
    assert.deepEqual(result.payload.CustomerMemo, { value: 'Customer PO: PO-77' });
    assert.equal(result.payload.Line[0]?.Description, 'Widget, steel');
    assert.deepEqual(result.warnings, []);
  });

  void it('puts a line charge on the QBO item it names, and fails the invoice when that item is missing or inactive', () => {
    const ok = mapInvoice(invoice([line(1, { productId: null, productNo: null, productQboId: null, charge: 'Setup fee', qboItemName: 'SETUP', qty: '1', unitPrice: '50' })]), ctx());
    assert.ok(ok.ok);
    assert.deepEqual(ok.payload.Line[0]?.DetailType === 'SalesItemLineDetail' && ok.payload.Line[0].SalesItemLineDetail.ItemRef, { value: '20', name: 'Setup' });
    assert.equal(ok.payload.Line[0]?.Description, 'Setup fee');

    const missing = mapInvoice(invoice([line(1, {}), line(2, { productId: null, productQboId: null, qboItemName: 'X', charge: 'c' })]), ctx());
    assert.deepEqual(missing.ok ? [] : missing.problems, ["line 2: QuickBooks has no product named 'X'; create it in QuickBooks or fix the line charge"]);
    const inactive = mapInvoice(invoice([line(1, { productId: null, productQboId: null, qboItemName: 'Old', charge: 'c' })]), ctx());
    assert.match(inactive.ok ? '' : (inactive.problems[0] ?? ''), /line 1: QuickBooks product 'Old' is inactive/);
  });

  void it('leaves header charges out with a warning naming the amount when they are not set up (as the seed)', () => {
    const result = mapInvoice(invoice([line(1, { unitPrice: '100' })], { freight: '10', orderDiscount: '5.5' }), ctx());
    assert.ok(result.ok);
    assert.equal(result.payload.Line.length, 1);
    assert.equal(result.expectedTotal, '100.00');
    assert.equal(result.warnings.length, 2);
    assert.match(result.warnings[0] ?? '', /^freight of 10\.00 was not passed to QuickBooks/);
    assert.match(result.warnings[1] ?? '', /^order discount of 5\.50 was not passed/);
  });

  void it('passes header charges as lines on the configured items and the discount as a discount line', () => {
    const setup = { freightItem: 'Freight', passOrderDiscount: true };
    const source = invoice([line(1, { unitPrice: '100' })], { freight: '10', orderDiscount: '5.5' });
    assert.deepEqual(itemNamesNeeded(source, setup), ['Freight']);
    const result = mapInvoice(source, ctx({ headerCharges: setup }));
    assert.ok(result.ok);
    assert.deepEqual(result.payload.Line.map((l) => l.DetailType), ['SalesItemLineDetail', 'SalesItemLineDetail', 'DiscountLineDetail']);
    assert.equal(result.expectedTotal, '104.50');
    assert.deepEqual(result.warnings, []);
  });

  void it('fails the invoice when the configured header-charge item does not exist in QuickBooks', () => {
    const result = mapInvoice(invoice([line(1, {})], { handling: '3' }), ctx({ headerCharges: { handlingItem: 'Handling', passOrderDiscount: false } }));
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : (result.problems[0] ?? ''), /^handling 3\.00: QuickBooks has no product named 'Handling'; create it in QuickBooks or change the handling item/);
  });

  void it('reports every problem at once: no QBO customer, unexported product, a too-long number', () => {
    const result = mapInvoice(
      invoice([line(1, { productQboId: null })], { invoiceNo: 'INV-12345678901234567890' }),
      ctx({ customerQboId: null }),
    );
    assert.equal(result.ok, false);
    assert.equal(result.ok ? 0 : result.problems.length, 3);
  });

  void it('compares money to the cent whatever the notation', () => {
    assert.ok(sameMoney('100', '100.00'));
    assert.ok(!sameMoney('100.01', '100.00'));
    assert.ok(!sameMoney(undefined, '0'));
  });
});
