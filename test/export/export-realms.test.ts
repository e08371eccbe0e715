import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runExport } from '../../src/export/index.ts';
import { exportCounts } from '../../src/store/erp/counts.ts';
import { dialects } from '../support/databases.ts';
import { createExportFixture, invoice, type ExportFixture } from '../support/export-fixture.ts';

/**
 * Issue 12, end to end: three companies sharing the customer master, each connected to its own QuickBooks
 * company (P is the QuickBooks Primary Company), then S1 reconnected to a fourth. Every realm is read back
 * from the emulator over HTTP: each invoice there is one of that company's, and every CustomerRef and ItemRef
 * is a record of that same realm carrying the ERP's name. The emulator numbers ids per realm, as QuickBooks
 * does, so ids of other books would point at the wrong records (or none) and be caught.
 */
const customers = Array.from({ length: 8 }, (_, i) => ({ customerNo: `SH-${i}`, name: `Shared Customer ${i}` }));

function companyDocument(code: string, primary: boolean, invoiceNos: readonly string[]): Record<string, unknown[]> {
  return {
    companies: [{ code, name: `${code} Division`, qbPrimaryCompany: primary }],
    customers,
    products: ['A', 'B'].map((p) => ({ company: code, productNo: `${code}-ITEM-${p}`, type: 'Service', unitPrice: '10' })),
    invoices: invoiceNos.map((no, i) => invoice(code, no, `SH-${(i * 3 + code.length) % 8}`, [
      { productNo: `${code}-ITEM-A`, qty: String(i + 1), unitPrice: '10' },
      { productNo: `${code}-ITEM-B`, qty: '1', unitPrice: '2.50' },
    ])),
  };
}

interface QboRow { Id: string; DisplayName?: string; Name?: string; DocNumber?: string; CustomerRef?: { value: string }; Line?: Array<{ SalesItemLineDetail?: { ItemRef: { value: string } } }> }

for (const dialect of dialects) {
  void it(`three companies on three QuickBooks companies, then a reconnect to a fourth [${dialect}]`, async (t) => {
    const f: ExportFixture = await createExportFixture(dialect);
    t.after(() => f.close());
    const realms = { P: await f.createRealm('Primary Books'), S1: await f.createRealm('First Division Books'), S2: await f.createRealm('Second Division Books') };
    const docs: Record<keyof typeof realms, string[]> = { P: [], S1: [], S2: [] };
    for (const code of ['P', 'S1', 'S2'] as const) {
      docs[code] = Array.from({ length: 6 }, (_, i) => `${code}-${i + 1}`);
      await f.load(companyDocument(code, code === 'P', docs[code]));
    }
    for (const code of ['P', 'S1', 'S2'] as const) await f.connect(code, realms[code]);

    const exportOf = async (code: string) => runExport({ db: f.db, config: f.config, logger: f.logger, companyId: await f.companyId(code), startedBy: 'test', dryRun: false });
    for (const code of ['P', 'S1', 'S2'] as const) {
      const before = await exportCounts(f.db.kysely, await f.companyId(code));
      assert.deepEqual(before, { productExportQty: 2, customerExportQty: 8, invoiceExportQty: 6, creditMemoExportQty: 0 }, code);
      const s = await exportOf(code);
      assert.equal(s.status, 'succeeded', `${code}: ${JSON.stringify(s.errors)}`);
      assert.deepEqual(s.invoices, { created: 6, alreadyInQbo: 0, failed: 0, inDoubt: 0 });
      assert.equal(s.customers.added + s.customers.matched, 8);
      assert.deepEqual(await exportCounts(f.db.kysely, await f.companyId(code)), { productExportQty: 0, customerExportQty: 0, invoiceExportQty: 0, creditMemoExportQty: 0 });
    }

    const erpCustomerOf = new Map<string, string>();
    for (const code of ['P', 'S1', 'S2'] as const) docs[code].forEach((no, i) => erpCustomerOf.set(no, `Shared Customer ${(i * 3 + code.length) % 8}`));
    const checkRealm = async (realmId: string, expectedDocs: readonly string[], company: string) => {
      const [invoices, qboCustomers, items] = await Promise.all([
        f.entities<QboRow>('Invoice', realmId), f.entities<QboRow>('Customer', realmId), f.entities<QboRow>('Item', realmId),
      ]);
      assert.deepEqual(invoices.map((i) => i.DocNumber).sort(), [...expectedDocs].sort(), `invoices in ${company}'s books`);
      const customerById = new Map(qboCustomers.map((c) => [c.Id, c.DisplayName]));
      const itemById = new Map(items.map((i) => [i.Id, i.Name]));
      for (const inv of invoices) {
        assert.equal(customerById.get(inv.CustomerRef?.value ?? ''), erpCustomerOf.get(inv.DocNumber ?? ''), `${inv.DocNumber}: CustomerRef in ${company}'s books`);
        const itemNames = (inv.Line ?? []).flatMap((l) => (l.SalesItemLineDetail ? [itemById.get(l.SalesItemLineDetail.ItemRef.value)] : []));
        assert.deepEqual(itemNames, [`${company}-ITEM-A`, `${company}-ITEM-B`], `${inv.DocNumber}: ItemRefs in ${company}'s books`);
      }
    };
    for (const code of ['P', 'S1', 'S2'] as const) await checkRealm(realms[code], docs[code], code);

    // S1's accountant picks another QuickBooks company: the switch is immediate, the old books keep their invoices.
    const r4 = await f.createRealm('New Books');
    await f.connect('S1', r4);
    const s1 = await f.companyId('S1');
    assert.deepEqual(await exportCounts(f.db.kysely, s1), { productExportQty: 2, customerExportQty: 8, invoiceExportQty: 0, creditMemoExportQty: 0 });
    const oldInvoices = await f.db.kysely.selectFrom('sales_invoices').select(['invoice_no', 'transferred', 'qbo_realm_id']).where('company_id', '=', s1).execute();
    assert.ok(oldInvoices.every((i) => i.transferred === 1 && i.qbo_realm_id === realms.S1));
    const newDocs = ['S1-7', 'S1-8'];
    await f.load({ invoices: newDocs.map((no, i) => invoice('S1', no, `SH-${i}`, [{ productNo: 'S1-ITEM-B', qty: '2', unitPrice: '2.50' }])) });
    newDocs.forEach((no, i) => erpCustomerOf.set(no, `Shared Customer ${i}`));
    const s = await exportOf('S1');
    assert.equal(s.status, 'succeeded', JSON.stringify(s.errors));
    assert.deepEqual(s.invoices, { created: 2, alreadyInQbo: 0, failed: 0, inDoubt: 0 });
    assert.equal(s.customers.added, 8);
    assert.equal(s.products.added, 2);
    const inNew = await f.entities<QboRow>('Invoice', r4);
    assert.deepEqual(inNew.map((i) => i.DocNumber).sort(), newDocs);
    const newCustomers = new Map((await f.entities<QboRow>('Customer', r4)).map((c) => [c.Id, c.DisplayName]));
    const newItems = new Map((await f.entities<QboRow>('Item', r4)).map((c) => [c.Id, c.Name]));
    for (const inv of inNew) {
      assert.equal(newCustomers.get(inv.CustomerRef?.value ?? ''), erpCustomerOf.get(inv.DocNumber ?? ''));
      assert.deepEqual((inv.Line ?? []).flatMap((l) => (l.SalesItemLineDetail ? [newItems.get(l.SalesItemLineDetail.ItemRef.value)] : [])), ['S1-ITEM-B']);
    }
    // The old books are untouched, and the other companies' books hold none of S1's new invoices.
    await checkRealm(realms.S1, docs.S1, 'S1');
    await checkRealm(realms.P, docs.P, 'P');
    await checkRealm(realms.S2, docs.S2, 'S2');
  });
}
