import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectedEmulator, connectedRealm, type ConnectedEmulator, type RealmApi } from '../testing.ts';

type Row = Record<string, unknown>;
const fault = (body: unknown): { code?: string; Detail?: string; element?: string } =>
  (((body as Row).Fault as { Error: Array<Row> } | undefined)?.Error[0] ?? {});

/** A sales line on item 1 (Services), with an optional line tax code. */
function line(amount: number, taxCode?: string, qty = 1): Row {
  const detail: Row = { ItemRef: { value: '1' }, Qty: qty, UnitPrice: Number((amount / qty).toFixed(5)) };
  if (taxCode !== undefined) detail.TaxCodeRef = { value: taxCode };
  return { DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: detail };
}

async function create(api: RealmApi, body: Row): Promise<{ status: number; invoice: Row; body: unknown }> {
  const res = await api('/invoice', { body: { CustomerRef: { value: '1' }, ...body } });
  return { status: res.status, invoice: ((res.body as Row).Invoice ?? {}) as Row, body: res.body };
}

async function query(api: RealmApi, text: string): Promise<Row[]> {
  const res = await api(`/query?query=${encodeURIComponent(text)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const answer = (res.body as Row).QueryResponse as Row;
  const entity = Object.keys(answer).find((k) => Array.isArray(answer[k]));
  return entity ? (answer[entity] as Row[]) : [];
}

const taxOf = (inv: Row): Row => inv.TxnTaxDetail as Row;

void describe('realm kinds: preferences, company info, tax codes and rates', () => {
  let emu: ConnectedEmulator;
  before(async () => {
    emu = await connectedEmulator();
  });
  after(async () => emu.close());

  void it('the default realm is a US company without automated sales tax, single currency, USD', async () => {
    const prefs = ((await emu.api('/preferences')).body as Row).Preferences as Row;
    assert.deepEqual(prefs.TaxPrefs, { UsingSalesTax: true, PartnerTaxEnabled: false });
    assert.deepEqual(prefs.CurrencyPrefs, { MultiCurrencyEnabled: false, HomeCurrency: { value: 'USD' } });
    const info = ((await emu.api(`/companyinfo/${emu.realmId}`)).body as Row).CompanyInfo as Row;
    assert.equal(info.Country, 'US');
    assert.deepEqual((await query(emu.api, 'select * from TaxCode')).map((c) => c.Name).sort(), ['California', 'NON', 'TAX']);
    assert.equal((await query(emu.api, 'select * from TaxRate'))[0]?.RateValue, 8);
  });

  void it('CA, GB and AU companies have their standard codes and rates, as QuickBooks names them', async () => {
    const expected: Record<string, Array<[string, number]>> = {
      CA: [['GST', 5], ['HST ON', 13], ['Exempt', 0], ['Zero-rated', 0]],
      GB: [['20.0% S', 20], ['5.0% R', 5], ['0.0% Z', 0], ['Exempt', 0]],
      AU: [['GST', 10], ['GST free', 0]],
    };
    for (const [country, codes] of Object.entries(expected)) {
      const { api, realmId } = await connectedRealm(emu, { name: `${country} Co`, country });
      assert.deepEqual((await query(api, 'select * from TaxCode')).map((c) => c.Name), codes.map(([n]) => n), country);
      assert.deepEqual((await query(api, 'select * from TaxRate')).map((r) => [r.Name, r.RateValue]), codes, country);
      const gst = (await query(api, `select * from TaxCode where Name = '${codes[0]?.[0] ?? ''}'`))[0] as Row;
      assert.equal(((gst.SalesTaxRateList as Row).TaxRateDetail as Row[])[0]?.TaxRateRef !== undefined, true);
      const info = ((await api(`/companyinfo/${realmId}`)).body as Row).CompanyInfo as Row;
      assert.equal(info.Country, country);
      const prefs = ((await api('/preferences')).body as Row).Preferences as Row;
      assert.deepEqual(prefs.CurrencyPrefs, { MultiCurrencyEnabled: false, HomeCurrency: { value: { CA: 'CAD', GB: 'GBP', AU: 'AUD' }[country] } });
    }
  });

  void it('POST /_emulator/realms refuses kinds QuickBooks does not have', async () => {
    assert.equal((await emu.control('/realms', { country: 'FR' })).status, 400);
    assert.equal((await emu.control('/realms', { country: 'CA', automatedSalesTax: true })).status, 400);
    assert.equal((await emu.control('/realms', { homeCurrency: 'XXX' })).status, 400);
    assert.equal((await emu.control('/realms', { multiCurrency: 'yes' })).status, 400);
    const made = await emu.control('/realms', { name: 'AST Co', automatedSalesTax: true, multiCurrency: true });
    assert.deepEqual(made.body, { realmId: (made.body as Row).realmId, name: 'AST Co', country: 'US', automatedSalesTax: true, multiCurrency: true, homeCurrency: 'USD' });
  });
});

void describe('US automated sales tax', () => {
  let emu: ConnectedEmulator;
  let api: RealmApi;
  before(async () => {
    emu = await connectedEmulator();
    api = (await connectedRealm(emu, { name: 'AST Co', automatedSalesTax: true })).api;
  });
  after(async () => emu.close());

  void it('Preferences say PartnerTaxEnabled', async () => {
    const prefs = ((await api('/preferences')).body as Row).Preferences as Row;
    assert.equal((prefs.TaxPrefs as Row).PartnerTaxEnabled, true);
  });

  void it('taxes TAX lines at the ship-to state rate, NON lines not at all', async () => {
    const { invoice } = await create(api, { Line: [line(100, 'TAX'), line(50, 'NON'), line(33.33, 'TAX')], ShipAddr: { CountrySubDivisionCode: 'NY' } });
    // NY 4 % of 133.33 = 5.3332 → 5.33
    assert.equal(taxOf(invoice).TotalTax, 5.33);
    assert.equal(invoice.TotalAmt, 188.66);
    assert.equal(invoice.Balance, 188.66);
    const taxLine = (taxOf(invoice).TaxLine as Row[])[0]?.TaxLineDetail as Row;
    assert.deepEqual([taxLine.TaxPercent, taxLine.NetAmountTaxable], [4, 133.33]);
  });

  void it('falls back to the bill-to state, then the company state (CA 7.25 %)', async () => {
    const billed = await create(api, { Line: [line(100, 'TAX')], ShipAddr: { City: 'Nowhere' }, BillAddr: { CountrySubDivisionCode: 'il' } });
    assert.equal(taxOf(billed.invoice).TotalTax, 6.25);
    // Customer 3 (Cool Cars) has no address at all.
    const bare = await create(api, { CustomerRef: { value: '3' }, Line: [line(10, 'TAX')] });
    assert.equal(taxOf(bare.invoice).TotalTax, 0.73);
    assert.equal(bare.invoice.TotalAmt, 10.73);
  });

  void it('a TotalTax sent with a TxnTaxCodeRef overrides; without the code it is ignored', async () => {
    const over = await create(api, { Line: [line(100, 'TAX')], ShipAddr: { CountrySubDivisionCode: 'NY' }, TxnTaxDetail: { TxnTaxCodeRef: { value: '2' }, TotalTax: 7.77 } });
    assert.equal(taxOf(over.invoice).TotalTax, 7.77);
    assert.equal(over.invoice.TotalAmt, 107.77);
    const ignored = await create(api, { Line: [line(100, 'TAX')], ShipAddr: { CountrySubDivisionCode: 'NY' }, TxnTaxDetail: { TotalTax: 7.77 } });
    assert.equal(taxOf(ignored.invoice).TotalTax, 4);
    const badCode = await create(api, { Line: [line(100, 'TAX')], TxnTaxDetail: { TxnTaxCodeRef: { value: '77' }, TotalTax: 1 } });
    assert.equal(fault(badCode.body).code, '2500');
  });

  void it('a US line with a tax code other than TAX or NON fails with 6100', async () => {
    const res = await create(api, { Line: [line(100, '2')] });
    assert.equal(res.status, 400);
    assert.equal(fault(res.body).code, '6100');
    assert.match(fault(res.body).Detail ?? '', /Valid line TaxCodes for US should be TAX or NON\. Supplied value: 2/);
  });

  void it('without AST tax is 0 unless the transaction names a tax code', async () => {
    const manual = await create(emu.api, { Line: [line(100, 'TAX'), line(20, 'NON')] });
    assert.deepEqual(taxOf(manual.invoice), { TotalTax: 0 });
    const coded = await create(emu.api, { Line: [line(100, 'TAX'), line(20, 'NON')], TxnTaxDetail: { TxnTaxCodeRef: { value: '2' } } });
    assert.equal(taxOf(coded.invoice).TotalTax, 8);
    assert.equal(coded.invoice.TotalAmt, 128);
  });
});

void describe('tax codes on every line outside the US', () => {
  let emu: ConnectedEmulator;
  let ca: RealmApi;
  let gb: RealmApi;
  before(async () => {
    emu = await connectedEmulator();
    ca = (await connectedRealm(emu, { name: 'Maple Ltd', country: 'CA' })).api;
    gb = (await connectedRealm(emu, { name: 'Thames Ltd', country: 'GB' })).api;
  });
  after(async () => emu.close());

  void it('a line without TaxCodeRef fails with 6000 and the country sentence', async () => {
    const res = await create(ca, { Line: [line(100, '3'), line(5)] });
    assert.equal(res.status, 400);
    assert.equal(fault(res.body).code, '6000');
    assert.equal(fault(res.body).Detail, 'Business Validation Error: Make sure all your transactions have a GST/HST rate before you save.');
    const uk = await create(gb, { Line: [line(100)] });
    assert.equal(fault(uk.body).Detail, 'Business Validation Error: Make sure all your transactions have a VAT rate before you save.');
    assert.equal(fault((await create(gb, { Line: [line(100, 'TAX')] })).body).code, '2500');
  });

  void it('TaxExcluded (the default): tax per rate on the sum of its lines, rounded half-up to the cent', async () => {
    // GST 5 % of (33.33 + 66.66) = 4.9995 → 5.00; HST ON 13 % of 10.01 = 1.3013 → 1.30.
    const { invoice } = await create(ca, { Line: [line(33.33, '3'), line(66.66, '3'), line(10.01, '4'), line(7, '5')] });
    assert.equal(taxOf(invoice).TotalTax, 6.3);
    assert.equal(invoice.TotalAmt, 123.3);
    assert.deepEqual((taxOf(invoice).TaxLine as Row[]).map((t) => [(t.TaxLineDetail as Row).TaxRateRef, t.Amount, (t.TaxLineDetail as Row).NetAmountTaxable]),
      [[{ value: '3' }, 5, 99.99], [{ value: '4' }, 1.3, 10.01], [{ value: '5' }, 0, 7]]);
    // Per rate, not per line: two lines of 0.10 at 5 % are 0.01 of tax, not 0.01 + 0.01.
    const small = await create(ca, { Line: [line(0.1, '3'), line(0.1, '3')] });
    assert.equal(taxOf(small.invoice).TotalTax, 0.01);
    assert.equal(small.invoice.TotalAmt, 0.21);
  });

  void it('TaxInclusive: the lines hold the tax, TotalAmt does not add it again', async () => {
    const { invoice } = await create(gb, { GlobalTaxCalculation: 'TaxInclusive', Line: [line(120, '3'), line(10.5, '4'), line(9.99, '6')] });
    // 120 × 20/120 = 20.00; 10.50 × 5/105 = 0.50
    assert.equal(taxOf(invoice).TotalTax, 20.5);
    assert.equal(invoice.TotalAmt, 140.49);
    const lines = (taxOf(invoice).TaxLine as Row[]).map((t) => (t.TaxLineDetail as Row).NetAmountTaxable);
    assert.deepEqual(lines, [100, 10, 9.99]);
    assert.equal(fault((await create(gb, { GlobalTaxCalculation: 'Sometimes', Line: [line(1, '3')] })).body).code, '2010');
  });

  void it('tax amounts sent per rate in TxnTaxDetail.TaxLine are kept; a rate not on any line fails', async () => {
    const taxLine = (rate: string, amount: number) => ({ Amount: amount, DetailType: 'TaxLineDetail', TaxLineDetail: { TaxRateRef: { value: rate }, PercentBased: true } });
    const { invoice } = await create(gb, { Line: [line(100, '3'), line(10, '4')], TxnTaxDetail: { TaxLine: [taxLine('3', 20.01)] } });
    assert.equal(taxOf(invoice).TotalTax, 20.51);
    assert.equal(invoice.TotalAmt, 130.51);
    const stray = await create(gb, { Line: [line(100, '3')], TxnTaxDetail: { TaxLine: [taxLine('4', 1)] } });
    assert.equal(fault(stray.body).code, '6000');
  });

  void it('ApplyTaxAfterDiscount lowers each base in proportion to the discount', async () => {
    const discount = { DetailType: 'DiscountLineDetail', Amount: 10, DiscountLineDetail: { PercentBased: false } };
    const after = await create(ca, { ApplyTaxAfterDiscount: true, Line: [line(100, '3'), discount] });
    assert.equal(taxOf(after.invoice).TotalTax, 4.5);
    assert.equal(after.invoice.TotalAmt, 94.5);
    const before = await create(ca, { Line: [line(100, '3'), discount] });
    assert.equal(taxOf(before.invoice).TotalTax, 5);
    assert.equal(before.invoice.TotalAmt, 95);
  });
});
