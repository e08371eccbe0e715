import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCalendarDate } from './fields.ts';
import { validateInvoiceLines, validateRecord } from './validate.ts';

const invoice = (extra: Record<string, unknown> = {}) => ({
  invoiceNo: 'INV-1', customerNo: 'C-1', invoiceDate: '2026-11-02', status: 'approved',
  lines: [{ productNo: 'W-1', qty: '3', unitPrice: '12.50' }], ...extra,
});

function problemsOf(kind: Parameters<typeof validateRecord>[0], raw: unknown): Array<[string, string]> {
  const result = validateRecord(kind, raw);
  return result.ok ? [] : result.problems.map((p) => [p.path, p.message]);
}

void describe('record validation', () => {
  void it('accepts the README invoice and fills defaults', () => {
    const result = validateRecord('invoices', invoice());
    assert.ok(result.ok);
    assert.equal(result.value.freight, '0');
    assert.equal(result.value.currency, null, "no currency = the QuickBooks company's home currency");
    assert.equal(result.value.transferred, false);
  });

  void it('tax and currency fields: read, and refused naming the field', () => {
    const good = validateRecord('invoices', invoice({
      taxAmount: '7.25', currency: 'EUR', exchangeRate: 1.0925, shipToAddress: { line1: '5 Elm St', region: 'NY', country: 'US' },
      lines: [{ productNo: 'W', qty: '1', unitPrice: '100', taxable: true }, { productNo: 'W', qty: '1', unitPrice: '5', taxCode: 'S' }],
    }));
    assert.ok(good.ok);
    assert.equal(good.value.taxAmount, '7.25');
    assert.equal(good.value.exchangeRate, '1.0925');
    assert.equal(good.value.shipToAddress?.region, 'NY');
    assert.deepEqual(good.value.lines?.map((l) => [l.taxable, l.taxCode]), [[true, null], [null, 'S']]);
    assert.deepEqual(problemsOf('invoices', invoice({ taxAmount: '-1', currency: 'eur', exchangeRate: '0', shipToAddress: { street: 'x' },
      lines: [{ productNo: 'W', qty: '1', unitPrice: '1', taxable: 'maybe' }] })), [
      ['currency', 'expected a three-letter currency code in capitals such as USD or EUR'],
      ['taxAmount', 'must not be negative, got -1'],
      ['exchangeRate', 'must be greater than 0 (home-currency units per one invoice-currency unit)'],
      ['shipToAddress.street', 'unknown field'],
      ['lines[0].taxable', 'expected true or false'],
    ]);
    assert.deepEqual(problemsOf('customers', { customerNo: 'C-1', name: 'X', currency: 'Euro' }), [['currency', 'expected a three-letter currency code in capitals such as USD or EUR']]);
  });

  void it('converts JSON numbers to decimal text without float error', () => {
    const result = validateRecord('invoices', invoice({ lines: [{ productNo: 'W', qty: 0.1, unitPrice: 1e-5 }], freight: 19.99 }));
    assert.ok(result.ok);
    assert.equal(result.value.lines?.[0]?.qty, '0.1');
    assert.equal(result.value.lines?.[0]?.unitPrice, '0.00001');
    assert.equal(result.value.freight, '19.99');
  });

  void it('reports every bad field at once, each with its path', () => {
    const problems = problemsOf('invoices', {
      invoiceNo: 'X'.repeat(22), customerNo: 'C', invoiceDate: '2026-02-30', status: 'open', freight: '-1', extra: 1,
      lines: [{ productNo: 'A', charge: 'B', qboItemName: 'Q', qty: '-2', unitPrice: 'abc' }, { qty: '1', unitPrice: '1' }, { charge: 'Fee', qty: '1', unitPrice: '1' }],
    });
    const paths = problems.map(([path]) => path);
    for (const expected of ['invoiceNo', 'invoiceDate', 'status', 'freight', 'extra', 'lines[0].qty', 'lines[0].unitPrice', 'lines[0].charge', 'lines[1].productNo', 'lines[2].qboItemName']) {
      assert.ok(paths.includes(expected), `missing ${expected} in ${JSON.stringify(problems)}`);
    }
    assert.match(problems.find(([p]) => p === 'lines[0].qty')?.[1] ?? '', /negative/);
    assert.match(problems.find(([p]) => p === 'invoiceNo')?.[1] ?? '', /21 characters/);
  });

  void it('reports a missing invoiceNo as required', () => {
    assert.deepEqual(problemsOf('invoices', invoice({ invoiceNo: undefined })), [['invoiceNo', 'is required']]);
  });

  void it('rejects names QuickBooks rejects', () => {
    for (const name of ['A:B', 'A\tB', 'A\nB']) {
      assert.equal(problemsOf('customers', { customerNo: 'C', name })[0]?.[0], 'name');
      assert.equal(problemsOf('products', { productNo: name })[0]?.[0], 'productNo');
      assert.deepEqual(problemsOf('invoices', invoice({ lines: [{ charge: 'Fee', qboItemName: name, qty: '1', unitPrice: '1' }] })).map(([p]) => p), ['lines[0].qboItemName']);
    }
    assert.deepEqual(problemsOf('customers', { customerNo: 'C', name: "O'Brien & Sons, Café Zoë, 100% \\ more" }), []);
  });

  void it('checks product types, statuses, decimals and company settings', () => {
    assert.equal(problemsOf('products', { productNo: 'P', type: 'Widget' })[0]?.[0], 'type');
    assert.equal(problemsOf('products', { productNo: 'P', unitPrice: '1e5' })[0]?.[0], 'unitPrice');
    assert.equal(problemsOf('products', { productNo: 'P', unitPrice: '1.123456' })[0]?.[0], 'unitPrice');
    assert.equal(problemsOf('products', { productNo: 'P', unitPrice: '12345678901' })[0]?.[0], 'unitPrice');
    assert.deepEqual(problemsOf('products', { productNo: 'P', unitPrice: '1234567890.12345' }), []);
    assert.equal(problemsOf('companies', { code: 'A', name: 'A', settings: { abortOnError: 'yes' } })[0]?.[0], 'settings.abortOnError');
    assert.equal(problemsOf('companies', { code: 'A', name: 'A', settings: { nope: true } })[0]?.[0], 'settings.nope');
    assert.equal(problemsOf('companies', { code: 'A', name: 'A', qbPrimaryCompany: 'maybe' })[0]?.[0], 'qbPrimaryCompany');
  });

  void it('knows real calendar dates', () => {
    assert.equal(isCalendarDate('2024-02-29'), true);
    assert.equal(isCalendarDate('2026-02-29'), false);
    assert.equal(isCalendarDate('2026-13-01'), false);
    assert.equal(isCalendarDate('2026-1-01'), false);
    assert.equal(isCalendarDate('yesterday'), false);
  });

  void it('validates lines-only records of an invoice-lines CSV', () => {
    const ok = validateInvoiceLines({ invoiceNo: 'I', lines: [{ charge: 'Fee', qboItemName: 'Fee', qty: '1', unitPrice: '2' }] });
    assert.ok(ok.ok);
    const bad = validateInvoiceLines({ invoiceNo: 'I', lines: [{ productNo: 'P', charge: 'Fee', qty: 'x', unitPrice: '2' }] });
    assert.ok(!bad.ok);
    assert.deepEqual(bad.problems.map((p) => p.path).sort(), ['lines[0].charge', 'lines[0].qty']);
  });

  void it('returns a problem, not a throw, for anything that is not an object', () => {
    for (const raw of [null, 1, 'x', [], true]) assert.equal(validateRecord('invoices', raw).ok, false);
  });
});
