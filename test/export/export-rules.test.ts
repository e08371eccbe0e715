import { qboIdIn } from '../../src/store/erp/qbo-ids.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.ts';
import { createExportFixture, invoice, type ExportFixture } from '../support/export-fixture.ts';
import { getRun, runExport, type ExportSummary } from '../../src/export/index.ts';
import { updateCompanySettings } from '../../src/store/erp/companies.ts';
import { qboClientForCompany, select } from '../../src/qbo/index.ts';
import { connectionStore } from '../../src/export/connections.ts';

interface QboInvoiceRow {
  Id: string;
  DocNumber: string;
  TotalAmt: number;
  Line: Array<{ Amount: number; DetailType: string; SalesItemLineDetail?: { ItemRef: { value: string; name?: string } } }>;
}

/** Names that QBO's seed realm already uses: vendor "Acme Supplies & Co", employee "Emily Platt", customer "Amy's Bird Sanctuary". */
function rulesDocument(): Record<string, unknown[]> {
  return {
    companies: [
      { code: 'REP', name: 'Report Co', qbPrimaryCompany: true, settings: { nameCollisionPolicy: 'report' } },
      { code: 'HDR', name: 'Header Co', qbPrimaryCompany: false, settings: { freightItem: 'Shipping', handlingItem: 'Handling Fee', passOrderDiscount: true } },
    ],
    customers: [
      { customerNo: 'C-200', name: 'Acme Supplies & Co' },
      { customerNo: 'C-201', name: 'Emily Platt' },
      { customerNo: 'C-202', name: "AMY'S BIRD SANCTUARY" },
      { customerNo: 'C-203', name: 'Renamed Later' },
      { customerNo: 'C-204', name: 'cool cars' },
    ],
    products: [
      { company: 'REP', productNo: 'GADGET', type: 'Service', unitPrice: '100' },
      { company: 'REP', productNo: 'Old Widget (deleted)', type: 'NonInventory', unitPrice: '1' },
      { company: 'HDR', productNo: 'GADGET', type: 'Service', unitPrice: '100' },
    ],
    invoices: [
      invoice('REP', 'R-1', 'C-200', [{ productNo: 'GADGET', qty: '1', unitPrice: '100' }]),
      invoice('REP', 'R-2', 'C-202', [{ productNo: 'GADGET', qty: '2', unitPrice: '100' }, { charge: 'Design work', qboItemName: 'design', qty: '2', unitPrice: '75' }],
        { freight: '10.00', orderDiscount: '5.00' }),
      invoice('REP', 'R-3', 'C-202', [{ productNo: 'GADGET', qty: '1', unitPrice: '100' }, { charge: 'Setup', qboItemName: 'Nope', qty: '1', unitPrice: '5' }]),
      invoice('HDR', 'H-1', 'C-202', [{ productNo: 'GADGET', qty: '1', unitPrice: '100' }], { freight: '10.00', orderDiscount: '5.50' }),
      invoice('HDR', 'H-2', 'C-202', [{ productNo: 'GADGET', qty: '1', unitPrice: '100' }], { handling: '3.00' }),
    ],
  };
}

for (const dialect of dialects) {
  void describe(`export rules end to end [${dialect}]`, () => {
    let f: ExportFixture;
    const ids: Record<string, number> = {};
    const run = (code: string, dryRun = false): Promise<ExportSummary> =>
      runExport({ db: f.db, config: f.config, logger: f.logger, companyId: ids[code] ?? 0, startedBy: 'test', dryRun });
    const messageFor = (s: ExportSummary, record: string): string => s.errors.filter((e) => e.record.startsWith(record)).map((e) => e.message).join(' | ');

    before(async () => {
      f = await createExportFixture(dialect);
      await f.load(rulesDocument());
      for (const code of ['REP', 'HDR']) {
        ids[code] = await f.companyId(code);
        await f.connect(code);
      }
      // QBO's seed customer "Cool Cars" made inactive: an ERP customer of that name is reported, not reactivated.
      const client = await qboClientForCompany({ connections: connectionStore(f.db), config: f.config, companyId: ids.REP ?? 0, logger: f.logger });
      const [cool] = await client.query(select('Customer').where('DisplayName', '=', 'Cool Cars'));
      assert.ok(cool);
      await client.update('Customer', { Id: cool.Id, SyncToken: cool.SyncToken, Active: false }, { requestId: 'deactivate-cool-cars', sparse: true });
      // A name QBO would reject, slipped into the ERP after import: reported before any call.
      await f.db.kysely.updateTable('customers').set({ name: 'Bad: Name' }).where('customer_no', '=', 'C-203').execute();
    });
    after(async () => f.close());

    void it('report policy: a vendor/employee name fails the customer with what to fix; matches case-insensitively; charges as the seed', async () => {
      const dry = await run('REP', true);
      const s = await run('REP');
      assert.equal(s.status, 'partial');
      assert.deepEqual(s.customers, dry.customers);
      assert.deepEqual(s.invoices, dry.invoices);
      assert.deepEqual(s.customers, { matched: 1, added: 0, failed: 4, inDoubt: 0 });
      assert.match(messageFor(s, 'Customer C-204'), /QuickBooks customer "Cool Cars" \(Id 3\) has this name but is inactive; make it active in QuickBooks, or rename the customer in the ERP/);
      assert.match(messageFor(s, 'Customer C-200'), /^Customer C-200 \(Acme Supplies & Co\): the name "Acme Supplies & Co" is already used by a QuickBooks vendor or employee \(6240\); rename/);
      assert.match(messageFor(s, 'Customer C-201'), /already used by a QuickBooks vendor or employee \(6240\)/);
      assert.match(messageFor(s, 'Customer C-203'), /contains ":", which QuickBooks does not allow/);
      assert.match(messageFor(s, 'Product Old Widget (deleted)'), /is inactive; make it active in QuickBooks/);
      assert.match(messageFor(s, 'Invoice R-1'), /^Invoice R-1: customer C-200 \(Acme Supplies & Co\) could not be exported/);
      assert.equal(messageFor(s, 'Invoice R-3'), "Invoice R-3: line 2: QuickBooks has no product named 'Nope'; create it in QuickBooks or fix the line charge");
      assert.deepEqual(s.invoices, { created: 1, alreadyInQbo: 0, failed: 2, inDoubt: 0 });
      // matched to the seed customer 1; freight and discount not set up → left out, with a warning naming the amount.
      const warnings = s.warnings.filter((w) => w.record === 'Invoice R-2').map((w) => w.message);
      assert.equal(warnings.length, 2);
      assert.match(warnings[0] ?? '', /freight of 10\.00 was not passed to QuickBooks/);
      assert.match(warnings[1] ?? '', /order discount of 5\.00 was not passed/);
      const r2 = (await f.entities<QboInvoiceRow>('Invoice')).find((i) => i.DocNumber === 'R-2');
      assert.equal(r2?.TotalAmt, 350);
      assert.equal(r2?.Line.find((l) => l.SalesItemLineDetail?.ItemRef.value === '4')?.Amount, 150);
      const entry = await getRun(f.db.kysely, s.runId);
      assert.equal(entry?.messages[0]?.level, 'error');
      assert.ok(entry?.messages.some((m) => m.qboCode === '6240'));
    });

    void it('suffix policy: the customer is added as "<name> (<customerNo>)", the choice is logged, and its invoice follows', async () => {
      await updateCompanySettings(f.db.kysely, ids.REP ?? 0, { nameCollisionPolicy: 'suffix' });
      const dry = await run('REP', true);
      const s = await run('REP');
      assert.deepEqual(s.customers, dry.customers);
      assert.deepEqual(s.customers, { matched: 0, added: 2, failed: 2, inDoubt: 0 });
      const names = (await f.entities<{ DisplayName: string }>('Customer')).map((c) => c.DisplayName);
      assert.ok(names.includes('Acme Supplies & Co (C-200)'));
      assert.ok(names.includes('Emily Platt (C-201)'));
      const entry = await getRun(f.db.kysely, s.runId);
      assert.ok(entry?.messages.some((m) => m.recordKey === 'C-200' && /belongs to a QuickBooks vendor or employee, so the customer was added as "Acme Supplies & Co \(C-200\)" \(name-collision policy: suffix\)/.test(m.message)));
      assert.equal(s.invoices.created, 1);
      assert.ok((await f.entities<QboInvoiceRow>('Invoice')).some((i) => i.DocNumber === 'R-1'));
    });

    void it('header charges set up: lines on the chosen item and a discount line; a missing chosen item fails the invoice', async () => {
      const s = await run('HDR');
      const h1 = (await f.entities<QboInvoiceRow>('Invoice')).find((i) => i.DocNumber === 'H-1');
      assert.ok(h1, JSON.stringify(s.errors));
      assert.equal(h1.TotalAmt, 104.5);
      assert.ok(h1.Line.some((l) => l.SalesItemLineDetail?.ItemRef.name === 'Shipping' && l.Amount === 10));
      assert.ok(h1.Line.some((l) => l.DetailType === 'DiscountLineDetail' && l.Amount === 5.5));
      assert.deepEqual(s.warnings.filter((w) => w.record === 'Invoice H-1'), []);
      assert.match(messageFor(s, 'Invoice H-2'), /handling 3\.00: QuickBooks has no product named 'Handling Fee'; create it in QuickBooks or change the handling item in the export settings/);
      // All companies here post into one QuickBooks company, so they share its ids (issue 12).
      const amy = await f.db.kysely.selectFrom('customers').selectAll().where('customer_no', '=', 'C-202').executeTakeFirstOrThrow();
      assert.equal(await qboIdIn(f.db.kysely, f.realmId, 'customer', amy.id), '1');
    });

    void it('abort on error: the run stops at the first failed record', async () => {
      await updateCompanySettings(f.db.kysely, ids.REP ?? 0, { abortOnError: true });
      const s = await run('REP');
      assert.equal(s.status, 'failed');
      assert.equal(s.stopReason, 'abort-on-error');
      assert.match(s.stoppedBecause ?? '', /stopped at the first failed record/);
      assert.equal(s.invoices.created + s.invoices.failed, 0);
    });
  });
}
