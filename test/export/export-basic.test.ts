import { qboIdIn, qboIdsIn } from '../../src/store/erp/qbo-ids.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.ts';
import { createExportFixture, sampleDocument, type ExportFixture } from '../support/export-fixture.ts';
import { getRun, listRuns, runExport, type ExportSummary } from '../../src/export/index.ts';
import { exportCounts } from '../../src/store/erp/counts.ts';

interface QboInvoiceRow {
  Id: string;
  DocNumber: string;
  TotalAmt: number;
  CustomerRef: { value: string };
  CustomerMemo?: { value: string };
  Line: Array<{ Amount: number; DetailType: string; Description?: string; SalesItemLineDetail?: { Qty?: number; UnitPrice?: number; ItemRef: { value: string } } }>;
}

for (const dialect of dialects) {
  void describe(`export end to end [${dialect}]`, () => {
    let f: ExportFixture;
    let companyId = 0;
    const run = (dryRun: boolean): Promise<ExportSummary> =>
      runExport({ db: f.db, config: f.config, logger: f.logger, companyId, startedBy: 'test', dryRun });

    before(async () => {
      f = await createExportFixture(dialect);
      await f.load(sampleDocument('ACME'));
      companyId = await f.companyId('ACME');
      await f.connect('ACME');
    });
    after(async () => f.close());

    void it('a dry run predicts the real run, writes nothing but its Process Log entry', async () => {
      const qboBefore = await Promise.all(['Invoice', 'Customer', 'Item'].map(async (e) => (await f.entities(e)).length));
      const dry = await run(true);
      assert.equal(dry.dryRun, true);
      // The DryRunWriter writes nothing: no QBO record, no intent, no QBO id.
      assert.deepEqual(await Promise.all(['Invoice', 'Customer', 'Item'].map(async (e) => (await f.entities(e)).length)), qboBefore);
      assert.equal((await f.db.kysely.selectFrom('export_intents').select('record_id').execute()).length, 0);
      assert.equal((await f.db.kysely.selectFrom('qbo_ids').select('record_id').execute()).length, 0);
      assert.deepEqual(await exportCounts(f.db.kysely, companyId), { productExportQty: 3, customerExportQty: 3, invoiceExportQty: 3, creditMemoExportQty: 0 });
      const entry = await getRun(f.db.kysely, dry.runId);
      assert.equal(entry?.name, 'Sales Invoice Exporter');
      assert.equal(entry?.dryRun, true);

      const real = await run(false);
      assert.deepEqual(
        { customers: real.customers, products: real.products, invoices: real.invoices, status: real.status, errors: real.errors.length },
        { customers: dry.customers, products: dry.products, invoices: dry.invoices, status: dry.status, errors: dry.errors.length },
      );
      assert.equal(real.status, 'succeeded', JSON.stringify(real.errors));
      assert.deepEqual(real.customers, { matched: 0, added: 3, failed: 0, inDoubt: 0 });
      assert.deepEqual(real.products, { matched: 0, added: 3, failed: 0, inDoubt: 0 });
      assert.deepEqual(real.invoices, { created: 3, alreadyInQbo: 0, failed: 0, inDoubt: 0 });
    });

    void it('created the QBO records with exact amounts, names with apostrophes, ampersands and accents, and wrote the ids back', async () => {
      const customers = await f.entities<{ Id: string; DisplayName: string; CompanyName?: string; PrimaryEmailAddr?: { Address: string } }>('Customer');
      for (const name of ["O'Brien & Sons", 'Café Müller & Söhne', 'Plain Customer Ltd']) {
        assert.equal(customers.filter((c) => c.DisplayName === name).length, 1, name);
      }
      const obrien = customers.find((c) => c.DisplayName === "O'Brien & Sons");
      assert.equal(obrien?.PrimaryEmailAddr?.Address, 'ap@obrien.example');
      const c100 = await f.db.kysely.selectFrom('customers').select('id').where('customer_no', '=', 'C-100').executeTakeFirstOrThrow();
      assert.equal(await qboIdIn(f.db.kysely, f.realmId, 'customer', c100.id), obrien?.Id);

      const items = await f.entities<{ Id: string; Name: string; Type: string; QtyOnHand?: number }>('Item');
      assert.equal(items.find((i) => i.Name === 'STOCK-1')?.Type, 'Inventory');
      assert.equal(items.find((i) => i.Name === 'SVC-INSTALL')?.Type, 'Service');
      const products = await f.db.kysely.selectFrom('products').select('id').execute();
      const productIds = await qboIdsIn(f.db.kysely, f.realmId, 'product', products.map((p) => p.id));
      assert.equal(productIds.size, products.length);

      const invoices = await f.entities<QboInvoiceRow>('Invoice');
      const inv = invoices.find((i) => i.DocNumber === 'INV-1001');
      assert.ok(inv);
      assert.deepEqual(inv.Line.filter((l) => l.DetailType === 'SalesItemLineDetail').map((l) => l.Amount), [1, 139.93]);
      assert.equal(inv.TotalAmt, 140.93);
      assert.equal(inv.CustomerRef.value, obrien?.Id);
      assert.equal(inv.CustomerMemo?.value, 'Customer PO: PO-77');
      assert.equal(invoices.find((i) => i.DocNumber === 'INV-1002')?.TotalAmt, 120);

      const erp = await f.db.kysely.selectFrom('sales_invoices').select(['invoice_no', 'transferred', 'qbo_invoice_id']).execute();
      for (const row of erp) {
        assert.equal(row.transferred, 1);
        assert.equal(row.qbo_invoice_id, invoices.find((i) => i.DocNumber === row.invoice_no)?.Id);
      }
    });

    void it('a second run finds nothing to do and creates nothing twice', async () => {
      const again = await run(false);
      assert.equal(again.status, 'succeeded');
      assert.deepEqual(again.invoices, { created: 0, alreadyInQbo: 0, failed: 0, inDoubt: 0 });
      assert.deepEqual(again.customers, { matched: 0, added: 0, failed: 0, inDoubt: 0 });
      const invoices = await f.entities<QboInvoiceRow>('Invoice');
      assert.equal(invoices.filter((i) => i.DocNumber.startsWith('INV-10')).length, 3);
    });

    void it('keeps a Process Log: newest first, with per-record messages', async () => {
      const runs = await listRuns(f.db.kysely, { companyId, limit: 10 });
      assert.equal(runs.length, 3);
      assert.deepEqual(runs.map((r) => r.dryRun), [false, false, true]);
      const real = await getRun(f.db.kysely, runs[1]?.id ?? 0);
      assert.equal(real?.status, 'succeeded');
      assert.ok(real?.finishedAt);
      assert.ok(real?.messages.some((m) => m.recordKey === 'INV-1001' && /created in QuickBooks/.test(m.message)));
      assert.ok(real?.messages.some((m) => m.recordKey === 'C-100' && /^Customer C-100 \(O'Brien & Sons\): added to QuickBooks/.test(m.message)));
    });
  });
}
