import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectedEmulator, connectedRealm, type ConnectedEmulator, type RealmApi } from '../testing.ts';

type Row = Record<string, unknown>;
const fault = (body: unknown): { code?: string; Detail?: string } =>
  (((body as Row).Fault as { Error: Array<Row> } | undefined)?.Error[0] ?? {});
const LINE = { DetailType: 'SalesItemLineDetail', Amount: 33.33, SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 3, UnitPrice: 11.11 } };

async function customer(api: RealmApi, name: string, currency?: string): Promise<{ status: number; row: Row; body: unknown }> {
  const res = await api('/customer', { body: { DisplayName: name, ...(currency ? { CurrencyRef: { value: currency } } : {}) } });
  return { status: res.status, row: ((res.body as Row).Customer ?? {}) as Row, body: res.body };
}

async function invoice(api: RealmApi, customerId: string, extra: Row = {}): Promise<{ status: number; row: Row; body: unknown }> {
  const res = await api('/invoice', { body: { CustomerRef: { value: customerId }, Line: [LINE], ...extra } });
  return { status: res.status, row: ((res.body as Row).Invoice ?? {}) as Row, body: res.body };
}

void describe('multi-currency', () => {
  let emu: ConnectedEmulator;
  let api: RealmApi;
  before(async () => {
    emu = await connectedEmulator();
    api = (await connectedRealm(emu, { name: 'World Co', multiCurrency: true })).api;
  });
  after(async () => emu.close());

  void it('Preferences and the currency list (CompanyCurrency, Currency)', async () => {
    const prefs = ((await api('/preferences')).body as Row).Preferences as Row;
    assert.deepEqual(prefs.CurrencyPrefs, { MultiCurrencyEnabled: true, HomeCurrency: { value: 'USD' } });
    for (const entity of ['CompanyCurrency', 'Currency']) {
      const res = await api(`/query?query=${encodeURIComponent(`select * from ${entity}`)}`);
      const rows = ((res.body as Row).QueryResponse as Row)[entity] as Row[];
      assert.ok(rows.some((r) => r.Code === 'EUR' && r.Name === 'Euro'), entity);
      assert.ok(!rows.some((r) => r.Code === 'USD'), 'the home currency is not in the list');
    }
  });

  void it("a customer's currency is fixed once set", async () => {
    const eur = await customer(api, 'Euro Kunde GmbH', 'EUR');
    assert.deepEqual(eur.row.CurrencyRef, { value: 'EUR', name: 'Euro' });
    assert.deepEqual((await customer(api, 'Home Customer')).row.CurrencyRef, { value: 'USD', name: 'United States Dollar' });
    const change = await api('/customer', { body: { Id: eur.row.Id, SyncToken: eur.row.SyncToken, sparse: true, CurrencyRef: { value: 'GBP' } } });
    assert.equal(change.status, 400);
    assert.equal(fault(change.body).code, '6000');
    assert.match(fault(change.body).Detail ?? '', /can't change the currency of a customer/);
    const rename = await api('/customer', { body: { Id: eur.row.Id, SyncToken: eur.row.SyncToken, sparse: true, Notes: 'ok' } });
    assert.equal(rename.status, 200);
    assert.deepEqual(((rename.body as Row).Customer as Row).CurrencyRef, { value: 'EUR', name: 'Euro' });
    assert.equal(fault((await customer(api, 'Nowhere Co', 'XYZ')).body).code, '2500');
  });

  void it("an invoice must be in its customer's currency; ExchangeRate and HomeTotalAmt are kept", async () => {
    const eur = (await customer(api, 'Euro Invoice SA', 'EUR')).row;
    const id = String(eur.Id);
    const noCurrency = await invoice(api, id);
    assert.equal(noCurrency.status, 400);
    assert.equal(fault(noCurrency.body).code, '6000');
    assert.match(fault(noCurrency.body).Detail ?? '', /currency \(USD\) must be the customer's currency \(EUR\)/);
    assert.equal(fault((await invoice(api, '1', { CurrencyRef: { value: 'EUR' } })).body).code, '6000');

    const sent = await invoice(api, id, { CurrencyRef: { value: 'EUR' }, ExchangeRate: 1.0925 });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.deepEqual(sent.row.CurrencyRef, { value: 'EUR', name: 'Euro' });
    assert.equal(sent.row.ExchangeRate, 1.0925);
    assert.equal(sent.row.TotalAmt, 33.33);
    assert.equal(sent.row.HomeTotalAmt, 36.41); // 33.33 × 1.0925 = 36.413…
    assert.equal(sent.row.HomeBalance, 36.41);

    const own = await invoice(api, id, { CurrencyRef: { value: 'EUR' } });
    assert.equal(own.row.ExchangeRate, 1.08, "the emulator's documented rate");
    assert.equal(own.row.HomeTotalAmt, 36);
    assert.equal(fault((await invoice(api, id, { CurrencyRef: { value: 'EUR' }, ExchangeRate: 0 })).body).code, '6000');

    const home = await invoice(api, '1', { ExchangeRate: 3 });
    assert.equal(home.row.ExchangeRate, 1, 'a home-currency invoice is always at 1');
    assert.equal(home.row.HomeTotalAmt, 33.33);
  });
});

void describe('single currency', () => {
  let emu: ConnectedEmulator;
  before(async () => {
    emu = await connectedEmulator();
  });
  after(async () => emu.close());

  void it('refuses other currencies on customers and invoices; answers carry no exchange rate', async () => {
    const c = await customer(emu.api, 'Foreign Co', 'EUR');
    assert.equal(fault(c.body).code, '6000');
    assert.match(fault(c.body).Detail ?? '', /Multicurrency is not turned on/);
    const inv = await invoice(emu.api, '1', { CurrencyRef: { value: 'EUR' } });
    assert.equal(fault(inv.body).code, '6000');
    const ok = await invoice(emu.api, '1');
    assert.deepEqual(ok.row.CurrencyRef, { value: 'USD', name: 'United States Dollar' });
    assert.equal(ok.row.ExchangeRate, undefined);
    assert.equal(ok.row.HomeTotalAmt, undefined);
  });
});
