import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.ts';
import { createExportFixture, invoice, type ExportFixture } from '../support/export-fixture.ts';
import { getRun, runExport, type ExportSummary } from '../../src/export/index.ts';

interface QboInvoiceRow {
  Id: string;
  DocNumber: string;
  TotalAmt: number;
  HomeTotalAmt?: number;
  ExchangeRate?: number;
  CurrencyRef?: { value: string };
  GlobalTaxCalculation?: string;
  TxnTaxDetail: { TotalTax: number; TaxLine?: Array<{ Amount: number; TaxLineDetail: { TaxRateRef?: { value: string } } }> };
  Line: Array<{ DetailType: string; SalesItemLineDetail?: { TaxCodeRef?: { value: string } } }>;
}

const svc = (company: string, productNo: string) => ({ company, productNo, type: 'Service', unitPrice: '1' });
const l = (productNo: string, qty: string, unitPrice: string, extra: Record<string, unknown> = {}) => ({ productNo, qty, unitPrice, ...extra });

/**
 * One company per kind of QuickBooks books. Customers are shared by all companies and keep one QBO id per primary
 * flag, so each company's customers are loaded just before its run (`part`): no run exports another's customers.
 */
function part(doc: Record<string, unknown[]>, codes: readonly string[], customerNos: readonly string[]): Record<string, unknown[]> {
  const ofCompany = (r: unknown) => codes.includes((r as { company: string }).company);
  return {
    customers: (doc.customers ?? []).filter((c) => customerNos.includes((c as { customerNo: string }).customerNo)),
    products: (doc.products ?? []).filter(ofCompany),
    invoices: (doc.invoices ?? []).filter(ofCompany),
  };
}

function taxDocument(): Record<string, unknown[]> {
  return {
    companies: [
      { code: 'USQ', name: 'US qbo', qbPrimaryCompany: true, settings: { salesTax: 'qbo' } },
      { code: 'USE', name: 'US erp', qbPrimaryCompany: true, settings: { salesTax: 'erp' } },
      { code: 'CAN', name: 'Canada', qbPrimaryCompany: true, settings: { salesTax: 'qbo', taxCodes: { G: 'GST', H: 'HST ON', X: 'Exempt' } } },
      { code: 'GBR', name: 'Britain', qbPrimaryCompany: true, settings: { salesTax: 'erp', taxCodes: { S: '20.0% S', R: '5.0% R' } } },
      { code: 'MCY', name: 'Multi', qbPrimaryCompany: true, settings: { salesTax: 'qbo' } },
    ],
    customers: [
      { customerNo: 'TQ-1', name: 'Texas Buyer Q', billingAddress: { line1: '1 Main', city: 'Albany', region: 'NY', country: 'US' } },
      { customerNo: 'TE-1', name: 'Texas Buyer E' },
      { customerNo: 'CA-1', name: 'Maple Buyer' },
      { customerNo: 'GB-1', name: 'Thames Buyer' },
      { customerNo: 'EU-1', name: 'Euro Kunde GmbH', currency: 'EUR' },
      { customerNo: 'US-1', name: 'Home Buyer' },
    ],
    products: ['USQ', 'USE', 'CAN', 'GBR', 'MCY'].map((c) => svc(c, `SVC-${c}`)),
    invoices: [
      invoice('USQ', 'U-1', 'TQ-1', [l('SVC-USQ', '1', '100.00', { taxable: true }), l('SVC-USQ', '1', '50.00', { taxable: false })],
        { shipToAddress: { line1: '9 Ranch Rd', city: 'Austin', region: 'TX', country: 'US' } }),
      invoice('USQ', 'U-2', 'TQ-1', [l('SVC-USQ', '1', '10.00')], { currency: 'EUR' }),
      invoice('USE', 'E-1', 'TE-1', [l('SVC-USE', '1', '100.00', { taxable: true }), l('SVC-USE', '2', '12.50', { taxable: false })], { taxAmount: '8.88' }),
      invoice('USE', 'E-2', 'TE-1', [l('SVC-USE', '1', '100.00', { taxable: true })]),
      invoice('CAN', 'C-1', 'CA-1', [l('SVC-CAN', '3', '11.11', { taxCode: 'G' }), l('SVC-CAN', '6', '11.11', { taxCode: 'G' }),
        l('SVC-CAN', '1', '10.01', { taxCode: 'H' }), l('SVC-CAN', '1', '7.00', { taxCode: 'X' })]),
      invoice('CAN', 'C-2', 'CA-1', [l('SVC-CAN', '1', '10.00', { taxCode: 'Q' })]),
      invoice('CAN', 'C-3', 'CA-1', [l('SVC-CAN', '1', '10.00')]),
      invoice('GBR', 'G-1', 'GB-1', [l('SVC-GBR', '1', '100.00', { taxCode: 'S' }), l('SVC-GBR', '1', '10.50', { taxCode: 'R' })], { taxAmount: '20.55' }),
      invoice('MCY', 'M-1', 'EU-1', [l('SVC-MCY', '1', '100.00')], { currency: 'EUR', exchangeRate: '1.1' }),
      invoice('MCY', 'M-2', 'EU-1', [l('SVC-MCY', '1', '100.00')]),
      invoice('MCY', 'M-3', 'EU-1', [l('SVC-MCY', '1', '50.00')], { currency: 'EUR' }),
      invoice('MCY', 'M-4', 'US-1', [l('SVC-MCY', '1', '20.00')]),
    ],
  };
}

for (const dialect of dialects) {
  void describe(`sales tax and currencies end to end [${dialect}]`, () => {
    let f: ExportFixture;
    const doc = taxDocument();
    const ids: Record<string, number> = {};
    const realms: Record<string, string> = {};
    const run = (code: string, dryRun = false): Promise<ExportSummary> =>
      runExport({ db: f.db, config: f.config, logger: f.logger, companyId: ids[code] ?? 0, startedBy: 'test', dryRun });
    const errorOf = (s: ExportSummary, invoiceNo: string): string => s.errors.filter((e) => e.record.includes(invoiceNo)).map((e) => e.message).join(' | ');
    const qboInvoice = async (code: string, docNumber: string): Promise<QboInvoiceRow> => {
      const row = (await f.entities<QboInvoiceRow>('Invoice', realms[code])).find((i) => i.DocNumber === docNumber);
      assert.ok(row, `${docNumber} is in QuickBooks`);
      return row;
    };
    const erpInvoice = (no: string) => f.db.kysely.selectFrom('sales_invoices').selectAll().where('invoice_no', '=', no).executeTakeFirstOrThrow();

    before(async () => {
      f = await createExportFixture(dialect);
      await f.load({ companies: doc.companies ?? [] });
      const kinds: Record<string, Record<string, unknown>> = {
        USQ: { automatedSalesTax: true }, CAN: { country: 'CA' }, GBR: { country: 'GB' }, MCY: { multiCurrency: true },
      };
      for (const [code, kind] of Object.entries(kinds)) realms[code] = ((await f.control('realms', { name: `${code} books`, ...kind })) as { realmId: string }).realmId;
      realms.USE = realms.USQ ?? '';
      for (const code of ['USQ', 'USE', 'CAN', 'GBR', 'MCY']) {
        ids[code] = await f.companyId(code);
        await f.connect(code, realms[code]);
      }
    });
    after(async () => f.close());

    void it('US automated sales tax, qbo mode: lines TAX/NON from taxable, tax from the ship-to state, reported on the record', async () => {
      await f.load(part(doc, ['USQ', 'USE'], ['TQ-1', 'TE-1']));
      const dry = await run('USQ', true);
      assert.match(errorOf(dry, 'U-2'), /^Invoice U-2: will fail: it is in EUR, but the QuickBooks company keeps its books in USD only \(multicurrency is off\); turn on multicurrency/);
      const s = await run('USQ');
      assert.deepEqual(s.invoices, dry.invoices);
      assert.deepEqual(s.invoices, { created: 1, alreadyInQbo: 0, failed: 1, inDoubt: 0 });
      const u1 = await qboInvoice('USQ', 'U-1');
      assert.deepEqual(u1.Line.filter((x) => x.SalesItemLineDetail).map((x) => x.SalesItemLineDetail?.TaxCodeRef?.value), ['TAX', 'NON']);
      assert.equal(u1.TxnTaxDetail.TotalTax, 6.25, 'TX 6.25 % of the taxable 100.00 (ship-to, not the NY bill-to)');
      assert.equal(u1.TotalAmt, 156.25);
      const log = await getRun(f.db.kysely, s.runId);
      assert.ok(log?.messages.some((m) => m.message === `Invoice U-1: created in QuickBooks (Id ${u1.Id}, total 156.25 = lines 150.00 + tax 6.25 computed by QuickBooks)`));
      assert.equal((await erpInvoice('U-1')).qbo_total_tax, '6.25');
    });

    void it("US automated sales tax, erp mode: the ERP's tax is billed exactly through the total-tax override", async () => {
      // Credit memos are taxed as invoices (issue 16 on issue 15): line taxable → TAX/NON, the memo's taxAmount credited exactly.
      const creditMemo = (memoNo: string, extra: Record<string, unknown>) =>
        ({ company: 'USE', memoNo, customerNo: 'TE-1', memoDate: '2026-11-10', status: 'approved', lines: [l('SVC-USE', '1', '10.00', { taxable: true })], ...extra });
      await f.load({ creditMemos: [creditMemo('CE-1', { taxAmount: '0.71' }), creditMemo('CE-2', {})] });
      const s = await run('USE');
      assert.deepEqual(s.creditMemos, { created: 1, alreadyInQbo: 0, failed: 1, applied: 0, inDoubt: 0 });
      const ce1 = (await f.entities<QboInvoiceRow>('CreditMemo', realms.USE)).find((m) => m.DocNumber === 'CE-1');
      assert.deepEqual([ce1?.TxnTaxDetail.TotalTax, ce1?.TotalAmt, ce1?.Line.find((x) => x.SalesItemLineDetail)?.SalesItemLineDetail?.TaxCodeRef?.value], [0.71, 10.71, 'TAX']);
      assert.match(errorOf(s, 'CE-2'), /^Credit memo CE-2: it has no taxAmount, and the company bills the ERP's tax \(salesTax "erp"\)/);
      const e1 = await qboInvoice('USE', 'E-1');
      assert.equal(e1.TxnTaxDetail.TotalTax, 8.88);
      assert.equal(e1.TotalAmt, 133.88);
      assert.match(errorOf(s, 'E-2'), /it has no taxAmount, and the company bills the ERP's tax \(salesTax "erp"\); import its taxAmount/);
      const log = await getRun(f.db.kysely, s.runId);
      assert.ok(log?.messages.some((m) => m.message.includes("total 133.88 = lines 125.00 + the ERP's tax 8.88")));
    });

    void it('Canada: a tax code per line from taxCodes; QuickBooks tax per rate to the cent; unmapped or missing codes fail with what to set', async () => {
      await f.load(part(doc, ['CAN'], ['CA-1']));
      const dry = await run('CAN', true);
      assert.match(errorOf(dry, 'C-2'), /will fail: line 1: the ERP tax code "Q" has no QuickBooks tax code; add "Q" to the company's taxCodes setting \(QuickBooks has: GST, HST ON, Exempt, Zero-rated\)/);
      assert.match(errorOf(dry, 'C-3'), /will fail: line 1 has no taxCode; QuickBooks \(CA\) needs a tax code on every line/);
      const s = await run('CAN');
      assert.deepEqual(s.invoices, { created: 1, alreadyInQbo: 0, failed: 2, inDoubt: 0 });
      const c1 = await qboInvoice('CAN', 'C-1');
      assert.equal(c1.GlobalTaxCalculation, 'TaxExcluded');
      assert.deepEqual(c1.Line.filter((x) => x.SalesItemLineDetail).map((x) => x.SalesItemLineDetail?.TaxCodeRef?.value), ['3', '3', '4', '5']);
      // GST 5 % of 99.99 = 5.00 (4.9995), HST 13 % of 10.01 = 1.30
      assert.equal(c1.TxnTaxDetail.TotalTax, 6.3);
      assert.equal(c1.TotalAmt, 123.3);
    });

    void it("UK, erp mode: the ERP's VAT spread over the lines' rates, the total to the cent", async () => {
      await f.load(part(doc, ['GBR'], ['GB-1']));
      const s = await run('GBR');
      assert.equal(s.invoices.created, 1, JSON.stringify(s.errors));
      const g1 = await qboInvoice('GBR', 'G-1');
      assert.deepEqual(g1.TxnTaxDetail.TaxLine?.map((t) => [t.TaxLineDetail.TaxRateRef?.value, t.Amount]), [['3', 20.02], ['4', 0.53]]);
      assert.equal(g1.TxnTaxDetail.TotalTax, 20.55);
      assert.equal(g1.TotalAmt, 131.05);
    });

    void it('multi-currency: EUR customer and invoice, exchange rate and the home total kept; a currency mismatch fails with what to do', async () => {
      await f.load(part(doc, ['MCY'], ['EU-1', 'US-1']));
      const s = await run('MCY');
      const customers = await f.entities<{ DisplayName: string; CurrencyRef: { value: string } }>('Customer', realms.MCY);
      assert.equal(customers.find((c) => c.DisplayName === 'Euro Kunde GmbH')?.CurrencyRef.value, 'EUR');
      const m1 = await qboInvoice('MCY', 'M-1');
      assert.deepEqual([m1.CurrencyRef?.value, m1.ExchangeRate, m1.TotalAmt, m1.HomeTotalAmt], ['EUR', 1.1, 100, 110]);
      assert.equal((await erpInvoice('M-1')).qbo_home_total, '110.00');
      const m3 = await qboInvoice('MCY', 'M-3');
      assert.equal(m3.ExchangeRate, 1.08, "without the ERP's rate QuickBooks uses its own");
      assert.equal((await erpInvoice('M-3')).qbo_home_total, '54.00');
      assert.equal((await erpInvoice('M-4')).qbo_home_total, '20.00');
      assert.match(errorOf(s, 'M-2'), /it is in USD, but customer EU-1 is in EUR in QuickBooks, .*; invoice it in EUR, or give it a separate ERP customer whose currency is USD/);
      const log = await getRun(f.db.kysely, s.runId);
      assert.ok(log?.messages.some((m) => m.level === 'error' && m.message.startsWith('Invoice M-2: it is in USD')));
    });
  });
}
