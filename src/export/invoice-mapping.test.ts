import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InvoiceLineView, InvoiceWithLines } from '../store/erp/invoices.ts';
import { toQboJson } from '../qbo/client.ts';
import { itemNamesNeeded, mapInvoice, sameMoney, type InvoiceMappingContext } from './invoice-mapping.ts';

function line(n: number, over: Partial<InvoiceLineView>): InvoiceLineView {
  return {
    id: n, invoice_id: 1, line_no: n, product_id: 10, charge: null, qbo_item_name: null, qty: '1', unit_price: '1',
    description: null, product_no: 'WIDGET-1', product_qbo_id: '55', taxable: null, tax_code: null, ...over,
  };
}

function invoice(lines: InvoiceLineView[], over: Partial<InvoiceWithLines['invoice']> = {}): InvoiceWithLines {
  const at = '2026-11-01T00:00:00.000Z';
  return {
    invoice: {
      id: 1, company_id: 1, invoice_no: 'INV-1001', customer_id: 1, invoice_date: '2026-11-02', due_date: '2026-12-02',
      customer_po: 'PO-77', status: 'approved', transferred: 0, transferred_at: null, qbo_invoice_id: null, qbo_realm_id: null,
      freight: '0', handling: '0', packaging: '0', order_discount: '0', currency: 'USD', updated_at: at,
      tax_amount: null, exchange_rate: null, ship_line1: null, ship_line2: null, ship_city: null, ship_region: null, ship_postal_code: null,
      ship_country: null, qbo_home_total: null, qbo_total_tax: null, ...over,
    },
    customer: {
      id: 1, customer_no: 'C-100', name: "O'Brien & Sons", email: null, phone: null, bill_line1: null, bill_line2: null,
      bill_city: null, bill_region: null, bill_postal_code: null, bill_country: null, active: 1, updated_at: at, currency: null,
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
    const result = mapInvoice(invoice([line(1, { qty: '3', unit_price: '0.3333' }), line(2, { qty: '7', unit_price: '19.99' })]), ctx());
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
    const ok = mapInvoice(invoice([line(1, { product_id: null, product_no: null, product_qbo_id: null, charge: 'Setup fee', qbo_item_name: 'SETUP', qty: '1', unit_price: '50' })]), ctx());
    assert.ok(ok.ok);
    assert.deepEqual(ok.payload.Line[0]?.DetailType === 'SalesItemLineDetail' && ok.payload.Line[0].SalesItemLineDetail.ItemRef, { value: '20', name: 'Setup' });
    assert.equal(ok.payload.Line[0]?.Description, 'Setup fee');

    const missing = mapInvoice(invoice([line(1, {}), line(2, { product_id: null, product_qbo_id: null, qbo_item_name: 'X', charge: 'c' })]), ctx());
    assert.deepEqual(missing.ok ? [] : missing.problems, ["line 2: QuickBooks has no product named 'X'; create it in QuickBooks or fix the line charge"]);
    const inactive = mapInvoice(invoice([line(1, { product_id: null, product_qbo_id: null, qbo_item_name: 'Old', charge: 'c' })]), ctx());
    assert.match(inactive.ok ? '' : (inactive.problems[0] ?? ''), /line 1: QuickBooks product 'Old' is inactive/);
  });

  void it('leaves header charges out with a warning naming the amount when they are not set up (as the seed)', () => {
    const result = mapInvoice(invoice([line(1, { unit_price: '100' })], { freight: '10', order_discount: '5.5' }), ctx());
    assert.ok(result.ok);
    assert.equal(result.payload.Line.length, 1);
    assert.equal(result.expectedTotal, '100.00');
    assert.equal(result.warnings.length, 2);
    assert.match(result.warnings[0] ?? '', /^freight of 10\.00 was not passed to QuickBooks/);
    assert.match(result.warnings[1] ?? '', /^order discount of 5\.50 was not passed/);
  });

  void it('passes header charges as lines on the configured items and the discount as a discount line', () => {
    const setup = { freightItem: 'Freight', passOrderDiscount: true };
    const source = invoice([line(1, { unit_price: '100' })], { freight: '10', order_discount: '5.5' });
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
      invoice([line(1, { product_qbo_id: null })], { invoice_no: 'INV-12345678901234567890' }),
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
