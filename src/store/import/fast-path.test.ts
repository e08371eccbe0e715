import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { generateImportDocument } from '../demo/volume.ts';
import { fastInvoice } from './fast-path.ts';
import { validateWithSchema } from './validate.ts';

/** Mostly clean values with every edge the schema cares about mixed in; the fast path must agree with the schema. */
const edges = <T,>(good: fc.Arbitrary<T>, ...bad: unknown[]) =>
  fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });
const oddText = [undefined, null, '', ' ', ' padded ', 'A:B', 'Tab\tx', 'x'.repeat(22), 5, true];
const decimal = edges(fc.constantFrom('0', '12.50', '3', '1234567890.12345'), undefined, null, '', '-1', '1e3', '1.123456', '12345678901', 12.5, 'abc', ' 1');
const date = edges(fc.constantFrom('2026-11-02', '2024-02-29'), undefined, null, '2026-02-30', 'tomorrow', 20261102);
const productLine = fc.record({ productNo: edges(fc.constant('W-1'), ...oddText), qty: decimal, unitPrice: decimal, description: edges(fc.constant('Widget'), ...oddText) }, { requiredKeys: ['productNo', 'qty', 'unitPrice'] });
const chargeLine = fc.record({ charge: edges(fc.constant('Fee'), ...oddText), qboItemName: edges(fc.constant('Setup'), ...oddText), qty: decimal, unitPrice: decimal, productNo: fc.constantFrom(null, 'W-1') }, { requiredKeys: ['charge', 'qty', 'unitPrice'] });
const line = fc.oneof(productLine, chargeLine, fc.constant({ qty: '1', unitPrice: '1', extra: 1 }));
const invoice = fc.record(
  {
    company: edges(fc.constant('ACME'), ...oddText), invoiceNo: edges(fc.constantFrom('INV-1', 'x'.repeat(21)), ...oddText),
    customerNo: edges(fc.constant('C-1'), ...oddText), invoiceDate: date, dueDate: date, customerPo: edges(fc.constant('PO-1'), ...oddText),
    status: edges(fc.constantFrom('draft', 'approved'), undefined, 'open'), transferred: edges(fc.boolean(), 'yes', 1),
    transferredAt: fc.constantFrom(undefined, null, '2026-11-02T10:00:00Z'), qboInvoiceId: fc.constantFrom(undefined, null, '12'),
    freight: decimal, handling: decimal, packaging: decimal, orderDiscount: decimal,
    currency: edges(fc.constant('USD'), 'usd', 1), lines: fc.option(fc.array(line, { maxLength: 3 }), { nil: undefined, freq: 10 }),
    bogus: fc.constant('x'),
  },
  { requiredKeys: ['invoiceNo', 'customerNo', 'invoiceDate', 'status'] },
);

void describe('invoice fast path', () => {
  void it('accepts only what the schema accepts, with the same result', () => {
    let accepted = 0;
    fc.assert(
      fc.property(invoice, (raw) => {
        const fast = fastInvoice(raw);
        if (fast === null) return;
        accepted += 1;
        const schema = validateWithSchema('invoices', raw);
        assert.ok(schema.ok, `fast path accepted what the schema rejects: ${JSON.stringify(raw)}`);
        assert.deepEqual(fast, schema.value);
      }),
      { numRuns: 6000, seed: 99 },
    );
    assert.ok(accepted > 50, `only ${accepted} records took the fast path; the comparison proves little`);
  });

  void it('takes every clean generated invoice', () => {
    const doc = generateImportDocument({ invoices: 200, seed: 3 });
    for (const raw of doc.invoices) {
      const fast = fastInvoice(raw);
      assert.ok(fast, JSON.stringify(raw));
      const schema = validateWithSchema('invoices', raw);
      assert.ok(schema.ok);
      assert.deepEqual(fast, schema.value);
    }
  });
});
