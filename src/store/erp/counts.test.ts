import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import { inTransaction } from '../db.ts';
import { setQbPrimaryCompany, upsertCompany } from './companies.ts';
import { exportCounts } from './counts.ts';
import { booksOf } from './qbo-ids.ts';
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
    // Customers are shared: qualifying depends on the company's books (each company's own until connected).
    const inP = (qboId: string) => ({ books: booksOf(primary), qboId });
    const inS = (qboId: string) => ({ books: booksOf(secondary), qboId });
    const ids = await upsertCustomers(db(), [
      customer('C1', {}), //                                           both ids missing: counts for both
      customer('C2', { qboIds: [inP('10')] }), //                       secondary only
      customer('C3', { qboIds: [inS('20')] }), //                       primary only
      customer('C4', { qboIds: [inP('11'), inS('21')] }), //            neither
      customer('C5', { active: false }), //                            inactive: never
      customer('C6', { active: false, qboIds: [inP('12')] }), //        inactive: never
    ]);
    await upsertProducts(db(), [
      { companyId: primary.id, productNo: 'P1', description: null, type: 'NonInventory', unitPrice: '1' },
      { companyId: primary.id, productNo: 'P2', description: null, type: 'Service', unitPrice: '1', qboIds: [inP('5')] },
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

    // The secondary company connects to the primary's books (divisions posting into one QuickBooks company):
    // it now shares the primary's ids, so C1 and C3 are left for it.
    await k.updateTable('companies').set({ qbo_realm_id: 'R-SHARED' }).where('id', 'in', [primary.id, secondary.id]).execute();
    await upsertCustomers(db(), [customer('C2', { qboIds: [{ books: 'R-SHARED', qboId: '10' }] }), customer('C4', { qboIds: [{ books: 'R-SHARED', qboId: '11' }] })]);
    assert.equal((await exportCounts(k, primary.id)).customerExportQty, 2);
    assert.equal((await exportCounts(k, secondary.id)).customerExportQty, 2);
    // The flag chooses only which seed field shows the id: the count follows the books.
    await setQbPrimaryCompany(k, primary.id, false);
    assert.equal((await exportCounts(k, primary.id)).customerExportQty, 2);
    await assert.rejects(exportCounts(k, 424_242));
  });
});
