import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import { findCompanyByCode } from '../erp/companies.ts';
import { exportCounts } from '../erp/counts.ts';
import { listInvoicesToExport } from '../erp/invoices.ts';
import { invoiceTotal } from '../erp/money.ts';
import { seedDemoData } from './seed.ts';
import { demoCustomerNames } from './catalog.ts';
import { validateRecord } from '../import/validate.ts';

describeEachDialect('demo data', ({ db }) => {
  void it('seeds a realistic, deterministic demo once', async () => {
    const k = db().kysely;
    const summary = await seedDemoData(db());
    assert.deepEqual(summary, { created: true, companies: ['DEMO', 'DEMO2'], customers: 30, products: 26, invoices: 110, creditMemos: 4 });
    assert.equal((await seedDemoData(db())).created, false);
    const demo = (await findCompanyByCode(k, 'DEMO'))!;
    const demo2 = (await findCompanyByCode(k, 'DEMO2'))!;
    assert.equal(demo.qb_primary_company, 1);
    assert.equal(demo2.qb_primary_company, 0);
    const counts = await exportCounts(k, demo.id);
    assert.equal(counts.productExportQty, 20);
    assert.equal(counts.customerExportQty, 28, 'two customers are inactive');
    assert.ok(counts.invoiceExportQty > 70 && counts.invoiceExportQty < 100, `${counts.invoiceExportQty} approved and not transferred`);
    const invoices = await listInvoicesToExport(k, demo.id, { limit: 200 }, 'R-DEMO');
    assert.ok(invoices.some((i) => i.lines.some((l) => l.charge !== null && l.qboItemName === 'SETUP-FEE')));
    assert.ok(invoices.some((i) => i.lines.length >= 4));
    assert.ok(invoices.some((i) => i.invoice.freight !== '0'));
    for (const i of invoices) assert.match(invoiceTotal(i.invoice, i.lines), /^\d+\.\d\d$/);
    // Same seed, same data: the first invoice's total is stable across runs and dialects.
    assert.equal(invoices[0]?.invoice.invoiceNo, 'INV-1001');
    assert.equal(invoiceTotal(invoices[0].invoice, invoices[0].lines), '400.09');
  });

  void it('uses only names the import would accept', () => {
    for (const name of demoCustomerNames) assert.ok(validateRecord('customers', { customerNo: 'X', name }).ok, name);
  });
});
