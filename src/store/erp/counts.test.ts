import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import { inTransaction } from '../db.ts';
import { setQbPrimaryCompany, upsertCompany } from './companies.ts';
import { exportCounts } from './counts.ts';
import { upsertCustomers, upsertInvoices, upsertProducts } from './upserts.ts';
import type { CustomerRecord, InvoiceRecord } from './records.ts';

const customer = (customerNo: string, extra: Partial<CustomerRecord>): CustomerRecord => ({
  customerNo, name: customerNo, email: null, phone: null, billingAddress: null, active: true, ...extra,
});

describeEachDialect('export counts', ({ db }) => {
  void it('counts by the seed rules, hand-computed', async () => {
    const k = db().kysely;
    const primary = await upsertCompany(k, { code: 'PRI', name: 'Primary', qbPrimaryCompany: true });
    const secondary = await upsertCompany(k, { code: 'SEC', name: 'Secondary', qbPrimaryCompany: false });
    // Customers are shared: qualifying depends on the company's primary flag.
    const ids = await upsertCustomers(db(), [
      customer('C1', {}), //                                           both ids missing: counts for both
      customer('C2', { financialSystemCustomerId: '10' }), //          secondary only
      customer('C3', { secondaryCustomerId: '20' }), //                primary only
      customer('C4', { financialSystemCustomerId: '11', secondaryCustomerId: '21' }), // neither
      customer('C5', { active: false }), //                            inactive: never
      customer('C6', { active: false, financialSystemCustomerId: '12' }), // inactive: never
    ]);
    await upsertProducts(db(), [
      { companyId: primary.id, productNo: 'P1', description: null, type: 'NonInventory', unitPrice: '1' },
      { companyId: primary.id, productNo: 'P2', description: null, type: 'Service', unitPrice: '1', financialSystemProductId: '5' },
      { companyId: primary.id, productNo: 'P3', description: null, type: 'Inventory', unitPrice: '1' },
      { companyId: secondary.id, productNo: 'P1', description: null, type: 'NonInventory', unitPrice: '1' },
    ]);
    const inv = (companyId: number, invoiceNo: string, extra: Partial<InvoiceRecord>): InvoiceRecord => ({
      companyId, invoiceNo, customerId: ids.get('C1')!, invoiceDate: '2026-01-01', dueDate: null, customerPo: null,
      status: 'approved', transferred: false, transferredAt: null, qboInvoiceId: null, freight: '0', handling: '0',
      packaging: '0', orderDiscount: '0', currency: 'USD', lines: undefined, ...extra,
    });
    await k.transaction().execute((trx) => upsertInvoices(inTransaction(db(), trx), [
      inv(primary.id, '1', {}),
      inv(primary.id, '2', {}),
      inv(primary.id, '3', { status: 'draft' }),
      inv(primary.id, '4', { transferred: true, transferredAt: '2026-01-02T00:00:00.000Z', qboInvoiceId: '99' }),
      inv(secondary.id, '1', {}),
      inv(secondary.id, '2', { status: 'draft' }),
    ]));

    assert.deepEqual(await exportCounts(k, primary.id), { productExportQty: 2, customerExportQty: 2, invoiceExportQty: 2, creditMemoExportQty: 0 });
    assert.deepEqual(await exportCounts(k, secondary.id), { productExportQty: 1, customerExportQty: 2, invoiceExportQty: 1, creditMemoExportQty: 0 });

    // Flipping the flag switches the customer rule to the other id column: C1 and C2 lack a secondary id.
    await setQbPrimaryCompany(k, primary.id, false);
    assert.equal((await exportCounts(k, primary.id)).customerExportQty, 2);
    await upsertCustomers(db(), [customer('C2', { secondaryCustomerId: '22' })]);
    assert.equal((await exportCounts(k, primary.id)).customerExportQty, 1);
    await assert.rejects(exportCounts(k, 424_242));
  });
});
