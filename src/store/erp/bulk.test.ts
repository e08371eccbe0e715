import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import { inTransaction } from '../db.ts';
import { upsertCompany } from './companies.ts';
import { upsertCustomers, upsertInvoices } from './upserts.ts';
import type { CustomerRecord, InvoiceRecord } from './records.ts';

const customer = (customerNo: string, extra: Partial<CustomerRecord> = {}): CustomerRecord => ({
  customerNo, name: `Customer ${customerNo}`, email: null, phone: null, billingAddress: null, active: true, ...extra,
});

const invoice = (companyId: number, invoiceNo: string, customerId: number): InvoiceRecord => ({
  companyId, invoiceNo, customerId, invoiceDate: '2026-11-02', dueDate: null, customerPo: null, status: 'approved',
  transferred: false, transferredAt: null, qboInvoiceId: null, freight: '0.10', handling: '0', packaging: '0',
  orderDiscount: '0', currency: 'USD',
  lines: [1, 2, 3].map((n) => ({ productId: null, charge: 'Fee', qboItemName: 'Fees', qty: `${n}.5`, unitPrice: '0.30', description: null })),
});

// The suite's tests share one database: each uses its own keys (and this suite writes the only invoices).
const count = async (k: Parameters<typeof upsertCompany>[0], table: 'sales_invoices' | 'invoice_lines') =>
  Number((await k.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describeEachDialect('bulk writes', ({ db }) => {
  // 1,300 rows: upsert chunks of 1,000 and 300, which SQLite writes in statements of 128 rows and then 64…1.
  void it('writes and returns every row whatever the row count', async () => {
    const k = db().kysely;
    const nos = Array.from({ length: 1300 }, (_, i) => `BULK-${i}`);
    const ids = await upsertCustomers(db(), nos.map((no, i) => customer(no, { name: `O'Brien "${i}"`, phone: i % 2 ? undefined : '555' } as Partial<CustomerRecord>)));
    assert.equal(ids.size, 1300);
    assert.equal(new Set(ids.values()).size, 1300);
    const stored = await k.selectFrom('customers').select((e) => e.fn.countAll().as('n')).where('customer_no', 'like', 'BULK-%').executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), 1300);
    const again = await upsertCustomers(db(), [customer('BULK-7', { name: 'Renamed' }), customer('BULK-1299')]);
    assert.equal(again.get('BULK-7'), ids.get('BULK-7'));
    const row = await k.selectFrom('customers').selectAll().where('customer_no', '=', 'BULK-7').executeTakeFirstOrThrow();
    assert.equal(row.name, 'Renamed');
    const odd = await k.selectFrom('customers').select(['name', 'phone']).where('customer_no', '=', 'BULK-5').executeTakeFirstOrThrow();
    assert.deepEqual(odd, { name: `O'Brien "5"`, phone: null });
  });

  void it('writes inside the caller\'s transaction: a rollback leaves nothing', async () => {
    const k = db().kysely;
    const co = await upsertCompany(k, { code: 'BULK', name: 'Bulk', qbPrimaryCompany: true });
    const customerId = (await upsertCustomers(db(), [customer('BULK-C')])).get('BULK-C')!;
    const invoices = Array.from({ length: 200 }, (_, i) => invoice(co.id, `BI-${i}`, customerId));
    await assert.rejects(k.transaction().execute(async (trx) => {
      const written = await upsertInvoices(inTransaction(db(), trx), invoices);
      assert.equal(written.size, 200);
      assert.equal(await count(trx, 'invoice_lines'), 600);
      throw new Error('roll back');
    }), /roll back/);
    assert.equal(await count(k, 'sales_invoices'), 0);
    assert.equal(await count(k, 'invoice_lines'), 0);
    await k.transaction().execute((trx) => upsertInvoices(inTransaction(db(), trx), invoices));
    const lines = await k.selectFrom('invoice_lines').select(['qty', 'unit_price']).orderBy('id').limit(3).execute();
    assert.deepEqual(lines, [{ qty: '1.5', unit_price: '0.30' }, { qty: '2.5', unit_price: '0.30' }, { qty: '3.5', unit_price: '0.30' }]);
  });

  void it('a write outside any transaction waits for an open one instead of joining it', async () => {
    const k = db().kysely;
    let started!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((resolve) => (started = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const open = k.transaction().execute(async (trx) => {
      await upsertCustomers(inTransaction(db(), trx), [customer('IN-1')]);
      started();
      await gate;
      throw new Error('roll back');
    });
    await inside;
    const outside = upsertCustomers(db(), [customer('OUT-1')]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await assert.rejects(open, /roll back/);
    await outside;
    const nos = (await k.selectFrom('customers').select('customer_no').where('customer_no', 'in', ['IN-1', 'OUT-1']).execute()).map((r) => r.customer_no);
    assert.deepEqual(nos, ['OUT-1']);
  });
});
