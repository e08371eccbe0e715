import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectedEmulator, type ConnectedEmulator } from '../testing.ts';

type Row = Record<string, unknown>;
const faultCode = (body: unknown): string | undefined => ((body as Row).Fault as { Error: Array<{ code: string }> } | undefined)?.Error[0]?.code;
const line = (amount: unknown, qty?: unknown, unitPrice?: unknown, item = '1') => ({
  DetailType: 'SalesItemLineDetail', Amount: amount,
  SalesItemLineDetail: { ItemRef: { value: item }, ...(qty !== undefined ? { Qty: qty } : {}), ...(unitPrice !== undefined ? { UnitPrice: unitPrice } : {}) },
});

void describe('Accounting API business rules', () => {
  let emu: ConnectedEmulator;
  before(async () => {
    emu = await connectedEmulator();
  });
  after(async () => emu.close());

  void it('DisplayName is unique across customers, vendors and employees (6240), case-insensitively', async () => {
    for (const name of ['Acme Supplies & Co', 'emily platt', "AMY'S BIRD SANCTUARY"]) {
      const res = await emu.api('/customer', { body: { DisplayName: name } });
      assert.equal(res.status, 400);
      assert.equal(faultCode(res.body), '6240');
    }
    const vendor = await emu.api('/vendor', { body: { DisplayName: 'Weiskopf Consulting' } });
    assert.equal(faultCode(vendor.body), '6240');
  });

  void it('rejects a colon, tab or newline in names, and over-long names (2050)', async () => {
    for (const name of ['A:B', 'A\tB', 'A\nB']) assert.equal(faultCode((await emu.api('/customer', { body: { DisplayName: name } })).body), '6000');
    const long = await emu.api('/customer', { body: { DisplayName: 'x'.repeat(501) } });
    assert.equal(faultCode(long.body), '2050');
    assert.equal(faultCode((await emu.api('/item', { body: { Name: 'a:b', Type: 'Service', IncomeAccountRef: { value: '1' } } })).body), '6000');
  });

  void it('builds DisplayName from name parts and adds server defaults', async () => {
    const res = await emu.api('/customer', { body: { GivenName: 'Ada', FamilyName: 'Lovelace' } });
    const c = (res.body as Row).Customer as Row;
    assert.equal(c.DisplayName, 'Ada Lovelace');
    assert.equal(c.SyncToken, '0');
    assert.equal(c.Active, true);
    assert.equal(typeof (res.body as Row).time, 'string');
  });

  void it('enforces Item rules: unique Name, Type, accounts, inventory fields', async () => {
    assert.equal(faultCode((await emu.api('/item', { body: { Name: 'hours', Type: 'Service', IncomeAccountRef: { value: '1' } } })).body), '6240');
    assert.equal(faultCode((await emu.api('/item', { body: { Name: 'NoType' } })).body), '2020');
    assert.equal(faultCode((await emu.api('/item', { body: { Name: 'NoAcct', Type: 'Service' } })).body), '2020');
    assert.equal(faultCode((await emu.api('/item', { body: { Name: 'BadAcct', Type: 'Service', IncomeAccountRef: { value: '999' } } })).body), '2500');
    assert.equal(faultCode((await emu.api('/item', { body: { Name: 'InactiveAcct', Type: 'Service', IncomeAccountRef: { value: '5' } } })).body), '2500');
    const inv = { Name: 'Widget', Type: 'Inventory', IncomeAccountRef: { value: '79' }, ExpenseAccountRef: { value: '80' }, AssetAccountRef: { value: '81' }, InvStartDate: '2026-01-01' };
    assert.equal(faultCode((await emu.api('/item', { body: inv })).body), '2020');
    const ok = await emu.api('/item', { body: { ...inv, QtyOnHand: 10 } });
    assert.equal(ok.status, 200);
    assert.equal(((ok.body as Row).Item as Row).TrackQtyOnHand, true);
  });

  void it('checks Amount = round-half-up(Qty × UnitPrice, 2) with decimals, never floats (6070)', async () => {
    const good = await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [line(1861.08, 128.35, 14.5)] } });
    assert.equal(good.status, 200, JSON.stringify(good.body));
    const bad = await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [line(1861.07, 128.35, 14.5)] } });
    assert.equal(faultCode(bad.body), '6070');
    assert.match(JSON.stringify(bad.body), /Supplied value:1,861.07/);
    const tiny = await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [line(0.3, 3, 0.1)] } });
    assert.equal(tiny.status, 200);
  });

  void it('computes totals, SubTotal line, line Ids, defaults and copies the customer address', async () => {
    const res = await emu.api('/invoice', {
      body: {
        CustomerRef: { value: '1' }, PrivateNote: 'run 1', CustomerMemo: { value: 'Thanks' },
        Line: [line(25, 2, 12.5), line(10, undefined, undefined, '2'), { DetailType: 'DiscountLineDetail', Amount: 5, DiscountLineDetail: { PercentBased: false } }],
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const inv = (res.body as Row).Invoice as Row;
    const lines = inv.Line as Row[];
    assert.deepEqual(lines.map((l) => l.Id), ['1', '2', '3', undefined]);
    assert.deepEqual(lines.map((l) => l.DetailType), ['SalesItemLineDetail', 'SalesItemLineDetail', 'DiscountLineDetail', 'SubTotalLineDetail']);
    assert.equal(lines[3]?.Amount, 35);
    assert.equal(inv.TotalAmt, 30);
    assert.equal(inv.Balance, 30);
    assert.equal((inv.BillAddr as Row).Line1, '4581 Finch St.');
    assert.equal(inv.PrivateNote, 'run 1');
    assert.deepEqual(inv.CustomerMemo, { value: 'Thanks' });
    assert.match(String(inv.TxnDate), /^\d{4}-\d{2}-\d{2}$/);
    const pct = await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [line(200, 2, 100), { DetailType: 'DiscountLineDetail', DiscountLineDetail: { PercentBased: true, DiscountPercent: 10 } }] } });
    assert.equal(((pct.body as Row).Invoice as Row).TotalAmt, 180);
    const tooMuch = await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [line(10), { DetailType: 'DiscountLineDetail', Amount: 11, DiscountLineDetail: {} }] } });
    assert.equal(faultCode(tooMuch.body), '6000');
  });

  void it('rejects missing CustomerRef/Line (2020), missing or inactive references (2500), long DocNumber (2050)', async () => {
    assert.equal(faultCode((await emu.api('/invoice', { body: { Line: [line(1)] } })).body), '2020');
    assert.equal(faultCode((await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [] } })).body), '2020');
    assert.equal(faultCode((await emu.api('/invoice', { body: { CustomerRef: { value: '999' }, Line: [line(1)] } })).body), '2500');
    assert.equal(faultCode((await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [line(1, undefined, undefined, '999')] } })).body), '2500');
    assert.equal(faultCode((await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [line(1, undefined, undefined, '13')] } })).body), '2500');
    assert.equal(faultCode((await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, DocNumber: 'x'.repeat(22), Line: [line(1)] } })).body), '2050');
  });

  void it('rejects a duplicate DocNumber (6140) unless include=allowduplicatedocnum', async () => {
    const body = { CustomerRef: { value: '1' }, DocNumber: 'INV-77', Line: [line(1)] };
    const first = await emu.api('/invoice', { body });
    assert.equal(first.status, 200);
    const dup = await emu.api('/invoice', { body });
    assert.equal(faultCode(dup.body), '6140');
    assert.match(JSON.stringify(dup.body), /DocNumber=INV-77 is assigned to TxnType=Invoice with TxnId=\d+/);
    assert.equal((await emu.api('/invoice?include=allowduplicatedocnum&minorversion=75', { body })).status, 200);
  });

  void it('sparse and full updates follow SyncToken rules; stale → 5010; unknown Id → 610', async () => {
    const created = ((await emu.api('/customer', { body: { DisplayName: 'Sync Test', Notes: 'n' } })).body as Row).Customer as Row;
    const sparse = await emu.api('/customer?operation=update', { body: { Id: created.Id, SyncToken: '0', sparse: true, CompanyName: 'Sync Co' } });
    const s = (sparse.body as Row).Customer as Row;
    assert.equal(s.SyncToken, '1');
    assert.equal(s.Notes, 'n');
    const stale = await emu.api('/customer', { body: { Id: created.Id, SyncToken: '0', sparse: true, Notes: 'x' } });
    assert.equal(faultCode(stale.body), '5010');
    const full = await emu.api('/Customer', { body: { Id: created.Id, SyncToken: '1', DisplayName: 'Sync Test' } });
    assert.equal(((full.body as Row).Customer as Row).Notes, undefined);
    assert.equal(faultCode((await emu.api('/customer', { body: { Id: '9999', SyncToken: '0', DisplayName: 'Nobody' } })).body), '610');
    assert.equal(faultCode((await emu.api('/customer/9999')).body), '610');
  });

  void it('voids and deletes invoices; name-list entities cannot be deleted', async () => {
    const inv = ((await emu.api('/invoice', { body: { CustomerRef: { value: '2' }, Line: [line(40)] } })).body as Row).Invoice as Row;
    const voided = ((await emu.api('/invoice?operation=void', { body: { Id: inv.Id, SyncToken: inv.SyncToken } })).body as Row).Invoice as Row;
    assert.equal(voided.TotalAmt, 0);
    assert.equal(voided.PrivateNote, 'Voided');
    assert.equal(voided.SyncToken, '1');
    const deleted = await emu.api('/invoice?operation=delete', { body: { Id: inv.Id, SyncToken: '1' } });
    assert.deepEqual((deleted.body as Row).Invoice, { domain: 'QBO', status: 'Deleted', Id: inv.Id });
    assert.equal(faultCode((await emu.api(`/invoice/${String(inv.Id)}`)).body), '610');
    assert.equal((await emu.api('/customer?operation=delete', { body: { Id: '1', SyncToken: '0' } })).status, 400);
  });

  void it('replays the first answer for a repeated requestid', async () => {
    const body = { CustomerRef: { value: '1' }, Line: [line(5)] };
    const a = await emu.api('/invoice?requestid=abc-123', { body });
    const b = await emu.api('/invoice?requestid=abc-123', { body });
    assert.deepEqual(b.body, a.body);
    const c = await emu.api('/invoice?requestid=abc-124', { body });
    assert.notEqual(((c.body as Row).Invoice as Row).Id, ((a.body as Row).Invoice as Row).Id);
  });

  void it('runs batches: independent items, per-item Faults, HTTP 200; more than 30 items → 400', async () => {
    const res = await emu.api('/batch', {
      body: {
        BatchItemRequest: [
          { bId: 'b1', operation: 'create', Customer: { DisplayName: 'Batch Cust' } },
          { bId: 'b2', operation: 'create', Customer: { DisplayName: 'Batch Cust' } },
          { bId: 'b3', Query: "select * from Item where Name = 'Design'" },
        ],
      },
    });
    assert.equal(res.status, 200);
    const items = (res.body as Row).BatchItemResponse as Row[];
    assert.ok(items[0]?.Customer);
    assert.equal(faultCode(items[1]), '6240');
    assert.equal((((items[2]?.QueryResponse as Row).Item as Row[])[0] as Row).Name, 'Design');
    const many = Array.from({ length: 31 }, (_, i) => ({ bId: `q${i}`, Query: 'select * from Item' }));
    assert.equal((await emu.api('/batch', { body: { BatchItemRequest: many } })).status, 400);
  });

  void it('runs batch items independently: a record created in the batch cannot be referenced by a later item', async () => {
    const probe = ((await emu.api('/customer', { body: { DisplayName: 'Probe Before Batch' } })).body as Row).Customer as Row;
    const nextId = String(Number(probe.Id) + 1);
    const res = await emu.api('/batch', {
      body: {
        BatchItemRequest: [
          { bId: 'c', operation: 'create', Customer: { DisplayName: 'Made In Batch' } },
          { bId: 'i', operation: 'create', Invoice: { CustomerRef: { value: nextId }, Line: [line(1)] } },
        ],
      },
    });
    const items = (res.body as Row).BatchItemResponse as Row[];
    assert.equal(((items[0]?.Customer as Row).Id), nextId);
    assert.equal(faultCode(items[1]), '2500');
    assert.equal((await emu.api('/invoice', { body: { CustomerRef: { value: nextId }, Line: [line(1)] } })).status, 200);
  });

  void it('answers bad input with QBO Faults, never a crash', async () => {
    const malformed = await emu.api('/invoice', { body: '{"Line": [' });
    assert.equal(malformed.status, 400);
    assert.equal(faultCode(malformed.body), '2010');
    assert.equal(faultCode((await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [{ ...line(1), SalesItemLineDetail: { ItemRef: { value: '1' }, Amount: 1 } }] } })).body), '2010');
    assert.equal(faultCode((await emu.api('/customer', { body: { DisplayName: 'T', Active: 'maybe' } })).body), '2010');
    assert.equal(faultCode((await emu.api('/invoice', { body: { CustomerRef: 'x', Line: [line(1)] } })).body), '2010');
    assert.equal(faultCode((await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [line('abc')] } })).body), '2010');
    assert.equal(faultCode((await emu.api('/invoice', { body: [] })).body), '2010');
    assert.equal(faultCode((await emu.api('/invoice', { body: '' , headers: { 'content-type': 'application/json' } })).body), '2010');
    const big = await emu.api('/customer', { body: { DisplayName: 'Big', Notes: 'x'.repeat(11 * 1024 * 1024) } });
    assert.equal(big.status, 413);
    assert.equal(faultCode((await emu.api('/widget', { body: {} })).body), '500');
    assert.equal((await emu.api('/customer/1')).status, 200);
  });
});

void describe('query engine', () => {
  let emu: ConnectedEmulator;
  before(async () => {
    emu = await connectedEmulator();
  });
  after(async () => emu.close());
  const q = async (text: string) => (await emu.api(`/query?query=${encodeURIComponent(text)}&minorversion=4`)).body as Row;

  void it('filters with LIKE, IN, comparisons; hides inactive rows unless Active is filtered', async () => {
    assert.deepEqual(((await q("select * from Customer where DisplayName LIKE 'd%'")).QueryResponse as Row).maxResults, 2);
    assert.equal(((await q("SELECT * FROM item WHERE type IN ('Inventory') ")).QueryResponse as Row).maxResults, 2);
    assert.equal(((await q('select * from Item')).QueryResponse as Row).maxResults, 6);
    assert.equal(((await q('select * from Item where Active IN (true, false)')).QueryResponse as Row).maxResults, 7);
    assert.equal(((await q('select * from Item where UnitPrice >= 75')).QueryResponse as Row).maxResults, 2);
    assert.equal(((await q("select * from Customer where metadata.lastupdatedtime > '2000-01-01T00:00:00-07:00'")).QueryResponse as Row).maxResults, 6);
  });

  void it('orders, pages and counts; maxResults is the number of rows returned; empty → {}', async () => {
    const page = (await q('select * from Item orderby Name desc startposition 2 maxresults 2')).QueryResponse as Row;
    assert.deepEqual((page.Item as Row[]).map((i) => i.Name), ['Services', 'Rock Fountain']);
    assert.equal(page.startPosition, 2);
    assert.equal(page.maxResults, 2);
    assert.deepEqual(await q("select count(*) from Customer where DisplayName = 'nobody'").then((b) => b.QueryResponse), { totalCount: 0 });
    assert.deepEqual((await q("select * from Customer where DisplayName = 'nobody'")).QueryResponse, {});
  });

  void it('accepts the query as a POST body (application/text and text/plain)', async () => {
    for (const type of ['application/text', 'text/plain']) {
      const res = await emu.api('/query', { body: "select * from Vendor where DisplayName = 'Robertson & Associates'", headers: { 'content-type': type } });
      assert.equal(res.status, 200);
      assert.equal((((res.body as Row).QueryResponse as Row).Vendor as Row[]).length, 1);
    }
  });

  void it('answers 4000 for parse errors and 4001 for unknown entities or properties', async () => {
    assert.equal(faultCode(await q("select * from Customer where DisplayName = 'Amy's'")), '4000');
    assert.match(JSON.stringify(await q('select * from')), /QueryParserError: /);
    assert.equal(faultCode(await q('select * from Custmoer')), '4001');
    assert.equal(faultCode(await q("select * from Customer where Foo = 'x'")), '4001');
  });
});
