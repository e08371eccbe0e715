import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../support/databases.ts';
import { upsertCompany } from '../../src/store/erp/companies.ts';
import { exportedPerDay, renderChart } from '../../src/web/pages/chart.ts';

describeEachDialect('export chart', ({ db }) => {
  void it('counts invoices and sums their amounts exactly per day over the last 30 days', async () => {
    const k = db().kysely;
    const company = await upsertCompany(k, { code: 'CHART', name: 'Chart Co', qbPrimaryCompany: true });
    const customer = await k.insertInto('customers').values({ customer_no: 'C-CH', name: 'Chart customer', email: null, phone: null, bill_line1: null, bill_line2: null, bill_city: null, bill_region: null, bill_postal_code: null, bill_country: null, updated_at: '2026-11-01T00:00:00Z' }).returning('id').executeTakeFirstOrThrow();
    const invoice = async (no: string, transferredAt: string | null, lines: Array<[string, string]>) => {
      const row = await k.insertInto('sales_invoices').values({
        company_id: company.id, invoice_no: no, customer_id: customer.id, invoice_date: '2026-11-01', due_date: null, customer_po: null,
        status: 'approved', transferred: transferredAt ? 1 : 0, transferred_at: transferredAt, qbo_invoice_id: null, updated_at: '2026-11-01T00:00:00Z',
      }).returning('id').executeTakeFirstOrThrow();
      let n = 1;
      for (const [qty, price] of lines) {
        await k.insertInto('invoice_lines').values({ invoice_id: row.id, line_no: n++, product_id: null, charge: 'c', qbo_item_name: 'Item', qty, unit_price: price, description: null }).execute();
      }
    };
    // 3 × 0.3333 = 0.9999 → 1.00 and 7 × 19.99 = 139.93: floats would drift, big.js does not.
    await invoice('A', '2026-11-20T10:00:00.000Z', [['3', '0.3333'], ['7', '19.99']]);
    await invoice('B', '2026-11-20T23:59:59.000Z', [['0.1', '0.2']]);
    await invoice('C', '2026-11-24T08:00:00.000Z', [['1', '100.00']]);
    await invoice('OLD', '2026-10-01T08:00:00.000Z', [['1', '5.00']]);
    await invoice('OPEN', null, [['1', '5.00']]);

    const days = await exportedPerDay(db(), company.id, new Date('2026-11-25T12:00:00Z'));
    assert.equal(days.length, 30);
    assert.equal(days[0]?.day, '2026-10-27');
    assert.equal(days.at(-1)?.day, '2026-11-25');
    assert.deepEqual(days.find((d) => d.day === '2026-11-20'), { day: '2026-11-20', invoices: 2, amount: '140.95' });
    assert.deepEqual(days.find((d) => d.day === '2026-11-24'), { day: '2026-11-24', invoices: 1, amount: '100.00' });
    assert.equal(days.reduce((n, d) => n + d.invoices, 0), 3);

    const svg = renderChart(days).value;
    assert.match(svg, /<svg class="chart"/);
    assert.match(svg, /3 invoices, 240.95 in total/);
    assert.match(svg, /<title>2026-11-20: 2 invoices, 140.95<\/title>/);
  });
});
