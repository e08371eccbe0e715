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
    assert.deepEqual(full?.lines.map((l) => [l.product_no, l.qty, l.unit_price, l.charge, l.qbo_item_name]), [
      ['WIDGET-1', '3', '12.50', null, null],
      [null, '1', '0.10', 'Setup fee', 'Setup'],
    ]);
    assert.equal(full?.invoice.order_discount, '5.00');
    assert.deepEqual(await exportCounts(k, acme.id), { productExportQty: 1, customerExportQty: 1, invoiceExportQty: 1, creditMemoExportQty: 0 });
  });

  void it('upserts on re-import, replaces lines, and refuses a transferred invoice', async () => {
    const k = db().kysely;
    const doc = (qty: string, name: string) => JSON.stringify({
      customers: [{ customerNo: 'RE-1', name }],
      invoices: [{ invoiceNo: 'RE-INV', customerNo: 'RE-1', invoiceDate: '2026-11-02', status: 'approved', lines: [{ charge: 'Fee', qboItemName: 'Fee', qty, unitPrice: '1' }] }],
    });
    assert.equal((await importFile(db(), file('re.json', doc('1', 'First')), { defaultCompany: 'ACME' })).ok, true);
    assert.equal((await importFile(db(), file('re.json', doc('7', 'Second')), { defaultCompany: 'ACME' })).ok, true);
    const acme = (await findCompanyByCode(k, 'ACME'))!;
    const invoice = (await findInvoiceByNo(k, acme.id, 'RE-INV'))!;
    assert.deepEqual((await getInvoiceWithLines(k, invoice.id))?.lines.map((l) => l.qty), ['7']);
    assert.equal((await findCustomerByNo(k, 'RE-1'))?.name, 'Second');

    await k.transaction().execute((trx) => markInvoiceTransferred(trx, invoice.id, '4711', new Date()));
    const before = await rowCounts(k);
    const refused = await importFile(db(), file('re.json', doc('9', 'Third')), { defaultCompany: 'ACME' });
    assert.equal(refused.ok, false);
    assert.match(formatProblem(refused.file, refused.problems[0]!), /re\.json: invoices\[0\] RE-INV invoiceNo: already transferred to QuickBooks \(QBO invoice 4711\)/);
    assert.deepEqual(await rowCounts(k), before);
    assert.equal((await findCustomerByNo(k, 'RE-1'))?.name, 'Second', 'the customer of a rejected file is not written either');
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
    assert.deepEqual((await getInvoiceWithLines(k, i1.id))?.lines.map((l) => [l.line_no, l.product_no, l.charge, l.qty]), [[1, 'CSV-P1', null, '2'], [2, null, 'Freight', '1']]);
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
