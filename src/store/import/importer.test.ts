import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { describeEachDialect } from '../../../test/support/databases.ts';
import type { Database } from '../schema.ts';
import { findCompanyByCode, companySettingsOf } from '../erp/companies.ts';
import { findCustomerByNo } from '../erp/customers.ts';
import { findProductByNo } from '../erp/products.ts';
import { booksOf, qboIdIn, qboIdsEverywhere } from '../erp/qbo-ids.ts';
import { loadCompanyBooks, seedCustomerView } from '../erp/seed-ids.ts';
import { findInvoiceByNo, getInvoiceWithLines, markInvoiceTransferred } from '../erp/invoices.ts';
import { exportCounts } from '../erp/counts.ts';
import { generateImportDocument } from '../demo/volume.ts';
import { formatProblem, importFile } from './importer.ts';

const dir = mkdtempSync(join(tmpdir(), 'qbo-import-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function file(name: string, content: string): string {
  const path = join(dir, `${fileNo++}-${name}`);
  writeFileSync(path, content);
  return path;
}

async function rowCounts(k: Kysely<Database>): Promise<number[]> {
  const tables = ['companies', 'customers', 'products', 'sales_invoices', 'invoice_lines'] as const;
  return Promise.all(tables.map(async (t) => Number((await k.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
}

const designDocument = `{
  "companies": [{"code": "ACME", "name": "Acme Manufacturing", "qbPrimaryCompany": true, "settings": {"nameCollisionPolicy": "suffix"}}],
  "customers": [{"customerNo": "C-100", "name": "O'Brien & Sons", "email": "ap@obrien.example", "phone": "+1 555 0100",
                 "billingAddress": {"line1": "1 Main St", "city": "Springfield", "region": "IL", "postalCode": "62701", "country": "US"},
                 "financialSystemCustomerId": null, "secondaryCustomerId": null}],
  "products": [{"company": "ACME", "productNo": "WIDGET-1", "description": "Widget, steel", "type": "NonInventory", "unitPrice": 12.50, "financialSystemProductId": null}],
  "invoices": [{"company": "ACME", "invoiceNo": "INV-1001", "customerNo": "C-100", "invoiceDate": "2026-11-02", "dueDate": "2026-12-02",
                "customerPo": "PO-77", "status": "approved", "transferred": false, "freight": "10.00", "handling": "0", "packaging": "0", "orderDiscount": "5.00",
                "lines": [{"productNo": "WIDGET-1", "qty": 3, "unitPrice": "12.50", "description": "Widget"},
                          {"charge": "Setup fee", "qboItemName": "Setup", "qty": "1", "unitPrice": 0.10}]}]
}`;

describeEachDialect('import', ({ db }) => {
  void it('imports the docs/design.md document, keeping JSON numbers as exact decimal text', async () => {
    const k = db().kysely;
    const result = await importFile(db(), file('design.json', designDocument));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.counts, { companies: 1, customers: 1, products: 1, invoices: 1, creditMemos: 0, lines: 2 });
    const acme = await findCompanyByCode(k, 'ACME');
    assert.ok(acme);
    assert.deepEqual(companySettingsOf(acme), { nameCollisionPolicy: 'suffix' });
    assert.equal((await findCustomerByNo(k, 'C-100'))?.bill_city, 'Springfield');
    const invoice = await findInvoiceByNo(k, acme.id, 'INV-1001');
    assert.ok(invoice);
    const full = await getInvoiceWithLines(k, invoice.id);
    assert.deepEqual(full?.lines.map((l) => [l.productNo, l.qty, l.unitPrice, l.charge, l.qboItemName]), [
      ['WIDGET-1', '3', '12.50', null, null],
      [null, '1', '0.10', 'Setup fee', 'Setup'],
    ]);
    assert.equal(full?.invoice.orderDiscount, '5.00');
    assert.deepEqual(await exportCounts(k, acme.id), { productExportQty: 1, customerExportQty: 1, invoiceExportQty: 1, creditMemoExportQty: 0 });
  });

  void it('upserts on re-import, replaces lines, and keeps a transferred invoice as transferred (changes reported, not applied)', async () => {
    const k = db().kysely;
    const doc = (qty: string, name: string, extra: Record<string, unknown> = {}) => JSON.stringify({
      customers: [{ customerNo: 'RE-1', name }],
      invoices: [{ invoiceNo: 'RE-INV', customerNo: 'RE-1', invoiceDate: '2026-11-02', status: 'approved', lines: [{ charge: 'Fee', qboItemName: 'Fee', qty, unitPrice: '1' }], ...extra }],
    });
    assert.equal((await importFile(db(), file('re.json', doc('1', 'First')), { defaultCompany: 'ACME' })).ok, true);
    assert.equal((await importFile(db(), file('re.json', doc('7', 'Second')), { defaultCompany: 'ACME' })).ok, true);
    const acme = (await findCompanyByCode(k, 'ACME'))!;
    const invoice = (await findInvoiceByNo(k, acme.id, 'RE-INV'))!;
    assert.deepEqual((await getInvoiceWithLines(k, invoice.id))?.lines.map((l) => l.qty), ['7']);
    assert.equal((await findCustomerByNo(k, 'RE-1'))?.name, 'Second');

    await k.transaction().execute((trx) => markInvoiceTransferred(trx, invoice.id, '4711', new Date(), 'R-1'));
    const transferred = await findInvoiceByNo(k, acme.id, 'RE-INV');
    // The ERP sends it again unchanged, saying "transferred": false (it does not know): ours is kept, no warning.
    const same = await importFile(db(), file('re.json', doc('7', 'Second', { transferred: false })), { defaultCompany: 'ACME' });
    assert.equal(same.ok, true);
    assert.deepEqual(same.warnings, []);
    assert.deepEqual(await findInvoiceByNo(k, acme.id, 'RE-INV'), transferred);
    // Changed: not applied, a warning naming the invoice and the fields; the rest of the file (the customer) is imported.
    const changed = await importFile(db(), file('re.json', doc('9', 'Third', { customerPo: 'PO-9' })), { defaultCompany: 'ACME' });
    assert.equal(changed.ok, true);
    assert.equal(changed.warningCount, 1);
    assert.match(formatProblem(changed.file, changed.warnings[0]!), /re\.json: invoices\[0\] RE-INV customerPo, lines\[0\]: not applied: the invoice was already transferred to QuickBooks \(QBO invoice 4711\)/);
    assert.deepEqual(await findInvoiceByNo(k, acme.id, 'RE-INV'), transferred);
    assert.deepEqual((await getInvoiceWithLines(k, invoice.id))?.lines.map((l) => l.qty), ['7']);
    assert.equal((await findCustomerByNo(k, 'RE-1'))?.name, 'Third');
  });

  void it('imports the same document twice: the second time succeeds and changes nothing', async () => {
    const k = db().kysely;
    const path = file('twice.json', JSON.stringify({
      companies: [{ code: 'TW', name: 'Twice', qbPrimaryCompany: true }],
      customers: [{ customerNo: 'TW-1', name: 'Twice One', qboIds: { TW: '31' } }],
      products: [{ company: 'TW', productNo: 'TW-P', unitPrice: '2.50', financialSystemProductId: '41' }],
      invoices: [
        { company: 'TW', invoiceNo: 'TW-1', customerNo: 'TW-1', invoiceDate: '2026-11-02', status: 'approved', lines: [{ productNo: 'TW-P', qty: '2', unitPrice: '2.50' }] },
        { company: 'TW', invoiceNo: 'TW-2', customerNo: 'TW-1', invoiceDate: '2026-11-02', status: 'approved', transferred: true, qboInvoiceId: '88', transferredAt: '2026-11-03T00:00:00Z', lines: [{ productNo: 'TW-P', qty: '1', unitPrice: '2.50' }] },
      ],
    }));
    assert.deepEqual((await importFile(db(), path)).problems, []);
    const tw = (await findCompanyByCode(k, 'TW'))!;
    await k.transaction().execute(async (trx) => markInvoiceTransferred(trx, (await findInvoiceByNo(trx, tw.id, 'TW-1'))!.id, '87', new Date(), booksOf(tw)));
    const snapshot = () => Promise.all((['companies', 'customers', 'products', 'sales_invoices', 'invoice_lines', 'qbo_ids'] as const).map((t) =>
      k.selectFrom(t).selectAll().execute().then((rows) => rows.map((r) => ({ ...r, updated_at: undefined })))));
    const before = await snapshot();
    const again = await importFile(db(), path);
    assert.equal(again.ok, true);
    assert.deepEqual(again.warnings, []);
    assert.deepEqual(await snapshot(), before);
    assert.equal(await qboIdIn(k, booksOf(tw), 'product', (await findProductByNo(k, tw.id, 'TW-P'))!.id), '41');
  });

  void it('takes ids per company ("qboIds") beside the seed fields, and refuses a seed field that is ambiguous', async () => {
    const k = db().kysely;
    const setup = await importFile(db(), file('co.json', JSON.stringify({ companies: [
      { code: 'QP', name: 'Primary', qbPrimaryCompany: true }, { code: 'QS1', name: 'One', qbPrimaryCompany: false }, { code: 'QS2', name: 'Two', qbPrimaryCompany: false },
    ] })));
    assert.deepEqual(setup.problems, []);
    // The other non-primary companies of this database (from earlier tests) make the secondary field ambiguous.
    const ambiguous = await importFile(db(), file('amb.json', JSON.stringify({ customers: [{ customerNo: 'QI-1', name: 'Q One', secondaryCustomerId: '57' }] })));
    assert.equal(ambiguous.ok, false);
    assert.match(formatProblem(ambiguous.file, ambiguous.problems[0]!), /amb\.json: customers\[0\] QI-1 secondaryCustomerId: is ambiguous: the non-primary companies .*QS1, QS2.* use different QuickBooks companies; give the id per company as "qboIds"/);
    const unknown = await importFile(db(), file('unk.json', JSON.stringify({ customers: [{ customerNo: 'QI-1', name: 'Q One', qboIds: { NOPE: '1' } }] })));
    assert.match(formatProblem(unknown.file, unknown.problems[0]!), /qboIds\.NOPE: unknown company "NOPE"/);

    const ok = await importFile(db(), file('ids.json', JSON.stringify({
      customers: [{ customerNo: 'QI-1', name: 'Q One', qboIds: { QS1: '57', QS2: '58' } }],
      products: [{ company: 'QS2', productNo: 'QI-P', qboIds: { QS2: '9' } }],
    })));
    assert.deepEqual(ok.problems, []);
    const companies = await loadCompanyBooks(k);
    const customer = (await findCustomerByNo(k, 'QI-1'))!;
    const view = seedCustomerView(companies, (await qboIdsEverywhere(k, 'customer', [customer.id])).get(customer.id));
    assert.deepEqual(view.qboIds, { QS1: '57', QS2: '58' });
    assert.equal(view.secondaryCustomerId, null, 'ambiguous: shown per company only');
    const qs1 = companies.find((c) => c.code === 'QS1')!;
    assert.equal(await qboIdIn(k, qs1.books, 'customer', customer.id), '57');
    // A product's ids can only be of its own company's books.
    const other = await importFile(db(), file('prod.json', JSON.stringify({ products: [{ company: 'QS2', productNo: 'QI-P', qboIds: { QS1: '9' } }] })));
    assert.match(formatProblem(other.file, other.problems[0]!), /qboIds\.QS1: the product belongs to QS2, not QS1/);
  });

  void it('imports CSV files per entity, invoice lines grouped by invoice', async () => {
    const k = db().kysely;
    const results = [
      await importFile(db(), file('customers.csv', 'customerNo,name,email,city,active\nCSV-1,"Smith \\ Jones",a@b.example,Springfield,true\nCSV-2,"Café Zoë, Inc.",,,no\n')),
      await importFile(db(), file('products.csv', 'productNo,description,type,unitPrice\nCSV-P1,"Widget, large",Inventory,9.99\nCSV-P2,Hours,Service,80\n'), { defaultCompany: 'ACME' }),
      await importFile(db(), file('invoices.csv', 'company,invoiceNo,customerNo,invoiceDate,status,freight\nACME,CSV-I1,CSV-1,2026-11-03,approved,4.50\nACME,CSV-I2,CSV-2,2026-11-04,draft,\n')),
      await importFile(db(), file('invoice-lines.csv', 'company,invoiceNo,productNo,charge,qboItemName,qty,unitPrice\nACME,CSV-I1,CSV-P1,,,2,9.99\nACME,CSV-I1,,Freight,Shipping,1,4.50\nACME,CSV-I2,CSV-P2,,,1.5,80\n')),
    ];
    assert.deepEqual(results.map((r) => [r.ok, r.problems]), results.map(() => [true, []]));
    const acme = (await findCompanyByCode(k, 'ACME'))!;
    const i1 = (await findInvoiceByNo(k, acme.id, 'CSV-I1'))!;
    assert.equal(i1.freight, '4.50');
    assert.deepEqual((await getInvoiceWithLines(k, i1.id))?.lines.map((l) => [l.lineNo, l.productNo, l.charge, l.qty]), [[1, 'CSV-P1', null, '2'], [2, null, 'Freight', '1']]);
    assert.equal((await findCustomerByNo(k, 'CSV-2'))?.active, 0);
    assert.equal((await findCustomerByNo(k, 'CSV-1'))?.name, 'Smith \\ Jones');

    const bad = await importFile(db(), file('invoice-lines.csv', 'company,invoiceNo,productNo,charge,qboItemName,qty,unitPrice\nACME,CSV-I2,NOPE,,,2,9.99\nACME,CSV-I1,,Freight,,1,4.50\nACME,CSV-I1,,Freight,Shipping,-1,4.50\n'));
    assert.equal(bad.ok, false);
    const messages = bad.problems.map((p) => formatProblem(bad.file, p));
    assert.ok(messages.some((m) => /rows 3-4 CSV-I1 row 3 qboItemName: a line charge needs qboItemName/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /row 4 qty: must not be negative/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /row 2 CSV-I2 row 2 productNo: unknown product "NOPE"/.test(m)), messages.join('\n'));
    const unknownColumn = await importFile(db(), file('products.csv', 'productNo,colour\nX,red\n'));
    assert.match(unknownColumn.problems[0]?.message ?? '', /unknown column "colour"/);
  });

  void it('reports file-level problems without writing anything', async () => {
    const k = db().kysely;
    const before = await rowCounts(k);
    for (const [name, content, expected] of [
      ['truncated.json', '{"customers":[{"customerNo":"T-1","name":"T"},', /ends too early/],
      ['section.json', '{"vendors":[]}', /unknown section "vendors"/],
      ['notalist.json', '{"customers":{"customerNo":"T-1"}}', /must be a list/],
      ['garbage.json', '{"customers":[{"customerNo":"T-2","name":"T"}, {oops}]}', /customers\[1\] cannot be read/],
    ] as const) {
      const result = await importFile(db(), file(name, content));
      assert.equal(result.ok, false, name);
      assert.match(result.problems.at(-1)?.message ?? '', expected);
    }
    assert.deepEqual(await rowCounts(k), before);
  });

  void it('never crashes, never writes part of a bad file, and names record and field of every problem', async () => {
    const k = db().kysely;
    const base = generateImportDocument({ invoices: 6, linesPerInvoice: 3, customers: 4, products: 5, companyCode: 'PROP', seed: 7 });
    assert.equal((await importFile(db(), file('base.json', JSON.stringify(base)))).ok, true);
    const before = await rowCounts(k);
    type Doc = typeof base;
    type Rec = Record<string, unknown>;
    const line = (d: Doc, i: number, l: number) => ((d.invoices[i] as Rec).lines as Rec[])[l] as Rec;
    // Each corruption breaks one field of one record; `field` is the path its problem must name.
    const corruptions: Array<{ section: keyof Doc; field: (i: number) => string; apply: (d: Doc, i: number) => void }> = [
      { section: 'customers', field: () => 'name', apply: (d, i) => { (d.customers[i] as Rec).name = 'A:B'; } },
      { section: 'customers', field: () => 'name', apply: (d, i) => { (d.customers[i] as Rec).name = 'Tab\there'; } },
      { section: 'customers', field: () => 'email', apply: (d, i) => { (d.customers[i] as Rec).email = 'not-an-email'; } },
      { section: 'products', field: () => 'type', apply: (d, i) => { (d.products[i] as Rec).type = 'Widget'; } },
      { section: 'products', field: () => 'unitPrice', apply: (d, i) => { (d.products[i] as Rec).unitPrice = '-3'; } },
      { section: 'products', field: () => 'productNo', apply: (d, i) => { (d.products[i] as Rec).productNo = 'Line\nbreak'; } },
      { section: 'companies', field: () => 'settings.abortOnError', apply: (d) => { (d.companies[0] as Rec).settings = { abortOnError: 'yes' }; } },
      { section: 'invoices', field: () => 'customerNo', apply: (d, i) => { (d.invoices[i] as Rec).customerNo = 'NO-SUCH'; } },
      { section: 'invoices', field: () => 'lines[0].productNo', apply: (d, i) => { line(d, i, 0).productNo = 'NO-SUCH'; delete line(d, i, 0).charge; delete line(d, i, 0).qboItemName; } },
      { section: 'invoices', field: () => 'lines[1].qty', apply: (d, i) => { line(d, i, 1).qty = '-1'; } },
      { section: 'invoices', field: () => 'lines[1].unitPrice', apply: (d, i) => { line(d, i, 1).unitPrice = 'twelve'; } },
      { section: 'invoices', field: () => 'lines[0].charge', apply: (d, i) => { line(d, i, 0).productNo = 'VP-00001'; line(d, i, 0).charge = 'Both'; } },
      { section: 'invoices', field: () => 'lines[0].qboItemName', apply: (d, i) => { const l = line(d, i, 0); delete l.productNo; l.charge = 'Fee'; delete l.qboItemName; } },
      { section: 'invoices', field: () => 'invoiceNo', apply: (d, i) => { delete (d.invoices[i] as Rec).invoiceNo; } },
      { section: 'invoices', field: () => 'invoiceNo', apply: (d, i) => { (d.invoices[i] as Rec).invoiceNo = 'X'.repeat(22); } },
      { section: 'invoices', field: () => 'invoiceNo', apply: (d, i) => { (d.invoices[i] as Rec).invoiceNo = (d.invoices[i === 0 ? 1 : 0] as Rec).invoiceNo; } },
      { section: 'invoices', field: () => 'invoiceDate', apply: (d, i) => { (d.invoices[i] as Rec).invoiceDate = '2026-02-30'; } },
      { section: 'invoices', field: () => 'status', apply: (d, i) => { (d.invoices[i] as Rec).status = 'open'; } },
      { section: 'invoices', field: () => 'freight', apply: (d, i) => { (d.invoices[i] as Rec).freight = '1e3'; } },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ c: fc.integer({ min: 0, max: corruptions.length - 1 }), i: fc.nat() }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (picks, firstRename) => {
          const doc = structuredClone(base);
          // A fresh invoice number on a renamed copy keeps the re-import from being a pure no-op upsert.
          if (firstRename) (doc.invoices[0] as Rec).invoiceNo = 'NEW-0';
          const expected: Array<{ label: string; field: string }> = [];
          for (const { c, i } of picks) {
            const corruption = corruptions[c]!;
            const records = doc[corruption.section];
            const index = corruption.section === 'invoices' && corruption.field(0) === 'invoiceNo' && c === 15 ? Math.max(1, i % records.length) : i % records.length;
            corruption.apply(doc, index);
            expected.push({ label: `${corruption.section}[${index}]`, field: corruption.field(index) });
          }
          const result = await importFile(db(), file('bad.json', JSON.stringify(doc)));
          assert.equal(result.ok, false);
          assert.deepEqual(await rowCounts(k), before);
          for (const p of result.problems) assert.ok(p.record.length > 0 && p.message.length > 0);
          const named = (e: { label: string; field: string }) =>
            result.problems.some((p) => (p.record === e.label || p.record.startsWith(`${e.label} `)) && p.field === e.field);
          // A corrupted customer or product may instead surface where it is used; any one of the picks suffices then.
          assert.ok(expected.some(named), `none of ${JSON.stringify(expected)} in ${JSON.stringify(result.problems)}`);
        },
      ),
      { numRuns: 25, seed: 4242 },
    );
  });
});
