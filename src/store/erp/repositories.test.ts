import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import { inTransaction } from '../db.ts';
import { findCompanyByCode, getCompany, listCompanies, setQbPrimaryCompany, updateCompanySettings, upsertCompany, companySettingsOf } from './companies.ts';
import { findCustomerByNo, getCustomer, listCustomersToExport, setCustomerQboId } from './customers.ts';
import { findProductByNo, listProductsToExport, setProductQboId } from './products.ts';
import { findInvoiceByNo, getInvoiceWithLines, listInvoicesToExport, markInvoiceTransferred } from './invoices.ts';
import { invoiceKey, productKey, upsertCustomers, upsertInvoices, upsertProducts } from './upserts.ts';
import type { CustomerRecord, InvoiceRecord } from './records.ts';
import { invoiceTotal } from './money.ts';
import { qboIdIn, qboIdsEverywhere } from './qbo-ids.ts';
import { loadCompanyBooks, seedCustomerView } from './seed-ids.ts';

const customer = (customerNo: string, extra: Partial<CustomerRecord> = {}): CustomerRecord => ({
  customerNo, name: `Customer ${customerNo}`, email: null, phone: null, billingAddress: null, active: true, ...extra,
});

const invoice = (companyId: number, invoiceNo: string, customerId: number, extra: Partial<InvoiceRecord> = {}): InvoiceRecord => ({
  companyId, invoiceNo, customerId, invoiceDate: '2026-11-02', dueDate: null, customerPo: null, status: 'approved',
  transferred: false, transferredAt: null, qboInvoiceId: null, freight: '0', handling: '0', packaging: '0',
  orderDiscount: '0', currency: 'USD', lines: [], ...extra,
});

describeEachDialect('erp repositories', ({ db }) => {
  void it('upserts companies by code and keeps settings unless given', async () => {
    const k = db().kysely;
    const acme = await upsertCompany(k, { code: 'ACME', name: 'Acme', qbPrimaryCompany: true, settings: { abortOnError: true } });
    const again = await upsertCompany(k, { code: 'ACME', name: 'Acme Manufacturing', qbPrimaryCompany: false });
    assert.equal(again.id, acme.id);
    assert.equal(again.name, 'Acme Manufacturing');
    assert.equal(again.qb_primary_company, 0);
    assert.deepEqual(companySettingsOf(again), { abortOnError: true });
    await updateCompanySettings(k, acme.id, { nameCollisionPolicy: 'suffix' });
    await setQbPrimaryCompany(k, acme.id, true);
    const stored = await getCompany(k, acme.id);
    assert.equal(stored?.qb_primary_company, 1);
    assert.deepEqual(companySettingsOf(stored), { nameCollisionPolicy: 'suffix' });
    await assert.rejects(updateCompanySettings(k, acme.id, { bogus: 1 } as never));
    assert.equal((await findCompanyByCode(k, 'ACME'))?.id, acme.id);
    assert.equal(await findCompanyByCode(k, 'NOPE'), undefined);
    assert.deepEqual((await listCompanies(k)).map((c) => c.code), ['ACME']);
  });

  void it('writes a customer QBO id into the books of the company, seen as the seed field its primary flag selects', async () => {
    const k = db().kysely;
    await upsertCompany(k, { code: 'P1', name: 'Primary', qbPrimaryCompany: true });
    await upsertCompany(k, { code: 'S1', name: 'Secondary', qbPrimaryCompany: false });
    await k.updateTable('companies').set({ qbo_realm_id: 'R-P' }).where('code', '=', 'P1').execute();
    await k.updateTable('companies').set({ qbo_realm_id: 'R-S' }).where('code', '=', 'S1').execute();
    const ids = await upsertCustomers(db(), [customer('R-1'), customer('R-2'), customer('R-3', { active: false })]);
    const r1 = ids.get('R-1')!;
    await setCustomerQboId(k, 'R-P', r1, '58');
    await setCustomerQboId(k, 'R-S', ids.get('R-2')!, '77');
    const companies = (await loadCompanyBooks(k)).filter((c) => ['P1', 'S1'].includes(c.code));
    const everywhere = await qboIdsEverywhere(k, 'customer', [r1, ids.get('R-2')!]);
    assert.deepEqual(seedCustomerView(companies, everywhere.get(r1)), { financialSystemCustomerId: '58', secondaryCustomerId: null, qboIds: { P1: '58' } });
    assert.deepEqual(seedCustomerView(companies, everywhere.get(ids.get('R-2')!)), { financialSystemCustomerId: null, secondaryCustomerId: '77', qboIds: { S1: '77' } });
    assert.equal((await findCustomerByNo(k, 'R-2'))?.id, ids.get('R-2'));
    const forPrimary = (await listCustomersToExport(k, 'R-P')).map((c) => c.customerNo).filter((n) => n.startsWith('R-'));
    const forSecondary = (await listCustomersToExport(k, 'R-S')).map((c) => c.customerNo).filter((n) => n.startsWith('R-'));
    assert.deepEqual(forPrimary, ['R-2']);
    assert.deepEqual(forSecondary, ['R-1']);
    // A re-import without ids must not undo the export's write-back.
    await upsertCustomers(db(), [customer('R-1', { name: 'Renamed' })]);
    assert.equal((await getCustomer(k, r1))?.name, 'Renamed');
    assert.equal(await qboIdIn(k, 'R-P', 'customer', r1), '58');
  });

  void it('lists unexported products and invoices with their lines, paged by id', async () => {
    const k = db().kysely;
    const co = await upsertCompany(k, { code: 'INV', name: 'Invoicing', qbPrimaryCompany: true });
    const customers = await upsertCustomers(db(), [customer('I-1', { name: "O'Brien & Sons" })]);
    const products = await upsertProducts(db(), [
      { companyId: co.id, productNo: 'W-1', description: 'Widget', type: 'NonInventory', unitPrice: '12.50' },
      { companyId: co.id, productNo: 'S-1', description: 'Service', type: 'Service', unitPrice: '80' },
    ]);
    await setProductQboId(k, 'R-INV', products.get(productKey(co.id, 'S-1'))!, '9');
    assert.deepEqual((await listProductsToExport(k, co.id, 'R-INV')).map((p) => p.productNo), ['W-1']);
    assert.deepEqual((await listProductsToExport(k, co.id, 'R-OTHER')).map((p) => p.productNo), ['W-1', 'S-1']);
    assert.equal(await qboIdIn(k, 'R-INV', 'product', (await findProductByNo(k, co.id, 'S-1'))!.id), '9');
    const custId = customers.get('I-1')!;
    const widget = products.get(productKey(co.id, 'W-1'))!;
    const written = await k.transaction().execute((trx) =>
      upsertInvoices(inTransaction(db(), trx), [
        invoice(co.id, 'A-1', custId, { lines: [
          { productId: widget, charge: null, qboItemName: null, qty: '3', unitPrice: '12.50', description: 'Widget' },
          { productId: null, charge: 'Setup fee', qboItemName: 'S-1', qty: '1', unitPrice: '0.005', description: null },
        ] }),
        invoice(co.id, 'A-2', custId, { status: 'draft' }),
        invoice(co.id, 'A-3', custId),
        invoice(co.id, 'A-4', custId),
      ]),
    );
    const firstPage = await listInvoicesToExport(k, co.id, { limit: 2 }, 'R-INV');
    assert.deepEqual(firstPage.map((i) => i.invoice.invoiceNo), ['A-1', 'A-3']);
    const a1 = firstPage[0]!;
    assert.equal(a1.customer.name, "O'Brien & Sons");
    assert.deepEqual(a1.lines.map((l) => [l.lineNo, l.productNo, l.charge, l.qboItemName]), [[1, 'W-1', null, null], [2, null, 'Setup fee', 'S-1']]);
    assert.equal(invoiceTotal(a1.invoice, a1.lines), '37.51');
    const next = await listInvoicesToExport(k, co.id, { limit: 2, afterId: firstPage[1]!.invoice.id }, 'R-INV');
    assert.deepEqual(next.map((i) => i.invoice.invoiceNo), ['A-4']);

    const a3 = written.get(invoiceKey(co.id, 'A-3'))!;
    const first = await k.transaction().execute((trx) => markInvoiceTransferred(trx, a3, '130', new Date('2026-11-20T10:00:00Z'), 'R-INV'));
    const second = await k.transaction().execute((trx) => markInvoiceTransferred(trx, a3, '131', new Date(), 'R-INV'));
    assert.equal(first, true);
    assert.equal(second, false);
    const stored = await getInvoiceWithLines(k, a3);
    assert.equal(stored?.invoice.qboInvoiceId, '130');
    assert.equal(stored?.invoice.qboRealmId, 'R-INV');
    assert.equal(stored?.invoice.transferred, true);
    assert.equal(stored?.invoice.transferredAt?.toISOString(), '2026-11-20T10:00:00.000Z');
    assert.equal((await findInvoiceByNo(k, co.id, 'A-2'))?.status, 'draft');
    assert.equal(await getInvoiceWithLines(k, 999_999), undefined);
  });

  void it('hands the exporter app types: the records as written, camelCase, with booleans and Dates', async () => {
    const k = db().kysely;
    const co = await upsertCompany(k, { code: 'APP', name: 'App types', qbPrimaryCompany: true });
    const address = { line1: '1 Main St', line2: null, city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' };
    const written = customer('APP-1', { email: 'ap@app.example', phone: '555', billingAddress: address, currency: 'EUR' });
    const custId = (await upsertCustomers(db(), [written])).get('APP-1')!;
    const [read] = (await listCustomersToExport(k, 'R-APP')).filter((c) => c.id === custId);
    const { updatedAt, ...fields } = read!;
    assert.deepEqual(fields, { id: custId, customerNo: 'APP-1', name: 'Customer APP-1', email: 'ap@app.example', phone: '555', billingAddress: address, active: true, currency: 'EUR' });
    assert.ok(updatedAt instanceof Date && !Number.isNaN(updatedAt.getTime()));

    const product = { companyId: co.id, productNo: 'APP-P', description: 'Widget', type: 'Inventory' as const, unitPrice: '12.50' };
    const productId = (await upsertProducts(db(), [product])).get(productKey(co.id, 'APP-P'))!;
    const [readProduct] = await listProductsToExport(k, co.id, 'R-APP');
    assert.deepEqual({ ...readProduct!, updatedAt: null }, { id: productId, ...product, updatedAt: null });

    const line = { charge: null, qboItemName: null, qty: '2', unitPrice: '12.50', description: null };
    await k.transaction().execute((trx) => upsertInvoices(inTransaction(db(), trx), [invoice(co.id, 'APP-I', custId, {
      dueDate: '2026-12-02', customerPo: 'PO-1', freight: '1.50', currency: 'EUR', taxAmount: '3.10', exchangeRate: '1.1', shipToAddress: address,
      lines: [{ ...line, productId, taxable: true }, { ...line, productId, taxable: false, taxCode: 'S' }, { ...line, productId: null, charge: 'Fee', qboItemName: 'Fee' }],
    })]));
    const [source] = await listInvoicesToExport(k, co.id, { limit: 10 }, 'R-APP');
    const { id, updatedAt: invoiceUpdatedAt, ...header } = source!.invoice;
    assert.ok(invoiceUpdatedAt instanceof Date);
    assert.deepEqual(header, {
      companyId: co.id, invoiceNo: 'APP-I', customerId: custId, invoiceDate: '2026-11-02', dueDate: '2026-12-02', customerPo: 'PO-1', status: 'approved',
      transferred: false, transferredAt: null, qboInvoiceId: null, qboRealmId: null, freight: '1.50', handling: '0', packaging: '0', orderDiscount: '0',
      currency: 'EUR', taxAmount: '3.10', exchangeRate: '1.1', shipToAddress: address, qboHomeTotal: null, qboTotalTax: null,
    });
    assert.equal(source!.customer.id, custId);
    assert.deepEqual(source!.lines.map((l) => [l.lineNo, l.productId, l.productNo, l.productQboId, l.charge, l.qboItemName, l.taxable, l.taxCode]), [
      [1, productId, 'APP-P', null, null, null, true, null],
      [2, productId, 'APP-P', null, null, null, false, 'S'],
      [3, null, null, null, 'Fee', 'Fee', null, null],
    ]);
    await k.transaction().execute((trx) => markInvoiceTransferred(trx, id, '9', new Date('2026-11-20T10:00:00.123Z'), 'R-APP'));
    const transferred = await getInvoiceWithLines(k, id);
    assert.deepEqual([transferred?.invoice.transferred, transferred?.invoice.transferredAt?.getTime()], [true, Date.parse('2026-11-20T10:00:00.123Z')]);
  });

  void it('replaces the lines of a re-imported invoice and refuses to touch a transferred one', async () => {
    const k = db().kysely;
    const co = await upsertCompany(k, { code: 'RE', name: 'Reimport', qbPrimaryCompany: true });
    const custId = (await upsertCustomers(db(), [customer('RE-1')])).get('RE-1')!;
    const line = (qty: string) => ({ productId: null, charge: 'Fee', qboItemName: 'Fee', qty, unitPrice: '1', description: null });
    await k.transaction().execute((trx) => upsertInvoices(inTransaction(db(), trx), [invoice(co.id, 'R-1', custId, { lines: [line('1'), line('2')] })]));
    const ids = await k.transaction().execute((trx) => upsertInvoices(inTransaction(db(), trx), [invoice(co.id, 'R-1', custId, { lines: [line('5')] })]));
    const id = ids.get(invoiceKey(co.id, 'R-1'))!;
    assert.deepEqual((await getInvoiceWithLines(k, id))?.lines.map((l) => l.qty), ['5']);
    await k.transaction().execute((trx) => markInvoiceTransferred(trx, id, '1', new Date(), 'R-RE'));
    await assert.rejects(k.transaction().execute((trx) => upsertInvoices(inTransaction(db(), trx), [invoice(co.id, 'R-1', custId, { lines: [line('7')] })])));
    assert.deepEqual((await getInvoiceWithLines(k, id))?.lines.map((l) => l.qty), ['5']);
  });
});
