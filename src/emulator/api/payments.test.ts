import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectedEmulator, type ConnectedEmulator } from '../testing.ts';

type Row = Record<string, unknown>;
const faultCode = (body: unknown): string | undefined => ((body as Row).Fault as { Error: Array<{ code: string }> } | undefined)?.Error[0]?.code;
const faultDetail = (body: unknown): string => ((body as Row).Fault as { Error: Array<{ Detail: string }> } | undefined)?.Error[0]?.Detail ?? '';

void describe('Payment: invoices paid, part-paid, over several invoices; void and delete', () => {
  let emu: ConnectedEmulator;
  before(async () => {
    emu = await connectedEmulator();
  });
  after(async () => emu.close());

  async function invoice(amount: string, customer = '1'): Promise<Row> {
    const res = await emu.api('/invoice', { body: { CustomerRef: { value: customer }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: '1' } } }] } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as Row).Invoice as Row;
  }
  const readInvoice = async (id: unknown): Promise<Row> => ((await emu.api(`/invoice/${String(id)}`)).body as Row).Invoice as Row;
  const customerBalance = async (id = '1'): Promise<number> => Number((((await emu.api(`/customer/${id}`)).body as Row).Customer as Row).Balance ?? 0);
  const pay = (total: string, lines: Array<[unknown, string]>, customer = '1') =>
    emu.api('/payment', { body: { CustomerRef: { value: customer }, TotalAmt: total, Line: lines.map(([id, amount]) => ({ Amount: amount, LinkedTxn: [{ TxnId: String(id), TxnType: 'Invoice' }] })) } });

  void it('a partial then a final payment: Balance, LinkedTxn, SyncToken and the customer balance follow', async () => {
    const inv = await invoice('100.10');
    const startBalance = await customerBalance();
    const first = await pay('40.05', [[inv.Id, '40.05']]);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const p1 = (first.body as Row).Payment as Row;
    assert.equal(p1.UnappliedAmt, 0);
    assert.deepEqual((p1.Line as Row[])[0]?.LinkedTxn, [{ TxnId: inv.Id, TxnType: 'Invoice' }]);
    let now = await readInvoice(inv.Id);
    assert.equal(now.Balance, 60.05);
    assert.equal(now.TotalAmt, 100.1);
    assert.deepEqual(now.LinkedTxn, [{ TxnId: p1.Id, TxnType: 'Payment' }]);
    assert.equal(now.SyncToken, '1', 'a payment bumps the invoice SyncToken');
    assert.equal(await customerBalance(), Number((startBalance - 40.05).toFixed(2)));
    const second = await pay('60.05', [[inv.Id, '60.05']]);
    const p2 = (second.body as Row).Payment as Row;
    now = await readInvoice(inv.Id);
    assert.equal(now.Balance, 0);
    assert.deepEqual(now.LinkedTxn, [{ TxnId: p1.Id, TxnType: 'Payment' }, { TxnId: p2.Id, TxnType: 'Payment' }]);
    const query = await emu.api(`/query?query=${encodeURIComponent(`select * from Payment where Id = '${String(p2.Id)}'`)}`);
    assert.equal((((query.body as Row).QueryResponse as Row).Payment as Row[]).length, 1);
    assert.equal((((await emu.api(`/payment/${String(p2.Id)}`)).body as Row).Payment as Row).TotalAmt, 60.05);
  });

  void it('one payment over several invoices, with money left unapplied', async () => {
    const a = await invoice('10.00');
    const b = await invoice('25.50');
    const res = await pay('40.00', [[a.Id, '10.00'], [b.Id, '20.00']]);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(((res.body as Row).Payment as Row).UnappliedAmt, 10);
    assert.equal((await readInvoice(a.Id)).Balance, 0);
    assert.equal((await readInvoice(b.Id)).Balance, 5.5);
  });

  void it('refuses more than the open balance, more than TotalAmt, another customer, a missing invoice', async () => {
    const inv = await invoice('10.00');
    const over = await pay('11.00', [[inv.Id, '11.00']]);
    assert.equal(faultCode(over.body), '6000');
    assert.match(faultDetail(over.body), /more than its open balance/);
    assert.equal(faultCode((await pay('5.00', [[inv.Id, '6.00']])).body), '6000');
    assert.equal(faultCode((await pay('5.00', [[inv.Id, '5.00']], '2')).body), '6000');
    assert.equal(faultCode((await pay('5.00', [['999999', '5.00']])).body), '2500');
    assert.equal(faultCode((await emu.api('/payment', { body: { CustomerRef: { value: '1' } } })).body), '2020');
    assert.equal((await readInvoice(inv.Id)).Balance, 10, 'refused payments change nothing');
  });

  void it('deleting or voiding a payment reopens its invoices; changing it moves the amounts', async () => {
    const inv = await invoice('50.00');
    const p = (await pay('50.00', [[inv.Id, '50.00']])).body as Row;
    const payment = p.Payment as Row;
    const changed = await emu.api('/payment', { body: { ...payment, TotalAmt: 30, Line: [{ Amount: 30, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal((await readInvoice(inv.Id)).Balance, 20);
    const updated = (changed.body as Row).Payment as Row;
    const voided = await emu.api('/payment?operation=void', { body: { Id: updated.Id, SyncToken: updated.SyncToken } });
    assert.equal(voided.status, 200, JSON.stringify(voided.body));
    assert.equal(((voided.body as Row).Payment as Row).TotalAmt, 0);
    let now = await readInvoice(inv.Id);
    assert.equal(now.Balance, 50);
    assert.deepEqual(now.LinkedTxn, []);
    const again = (await pay('50.00', [[inv.Id, '50.00']])).body as Row;
    const p2 = again.Payment as Row;
    const del = await emu.api('/payment?operation=delete', { body: { Id: p2.Id, SyncToken: p2.SyncToken } });
    assert.deepEqual((del.body as Row).Payment, { domain: 'QBO', status: 'Deleted', Id: p2.Id });
    now = await readInvoice(inv.Id);
    assert.equal(now.Balance, 50);
    assert.deepEqual(now.LinkedTxn, []);
  });

  void it('an invoice with payments cannot be voided or deleted until they are removed; then it can', async () => {
    const inv = await invoice('12.00');
    const payment = ((await pay('2.00', [[inv.Id, '2.00']])).body as Row).Payment as Row;
    const paid = await readInvoice(inv.Id);
    const del = await emu.api('/invoice?operation=delete', { body: { Id: inv.Id, SyncToken: paid.SyncToken } });
    assert.equal(faultCode(del.body), '6000');
    assert.match(faultDetail(del.body), /payments applied/);
    assert.equal(faultCode((await emu.api('/invoice?operation=void', { body: { Id: inv.Id, SyncToken: paid.SyncToken } })).body), '6000');
    const update = await emu.api('/invoice', { body: { Id: inv.Id, SyncToken: paid.SyncToken, sparse: true, Line: [{ DetailType: 'SalesItemLineDetail', Amount: '20.00', SalesItemLineDetail: { ItemRef: { value: '1' } } }] } });
    assert.equal(update.status, 200, JSON.stringify(update.body));
    const bigger = (update.body as Row).Invoice as Row;
    assert.equal(bigger.Balance, 18, 'an update keeps the payments applied');
    assert.deepEqual(bigger.LinkedTxn, [{ TxnId: payment.Id, TxnType: 'Payment' }]);
    await emu.api('/payment?operation=delete', { body: { Id: payment.Id, SyncToken: payment.SyncToken } });
    const open = await readInvoice(inv.Id);
    const voided = await emu.api('/invoice?operation=void', { body: { Id: inv.Id, SyncToken: open.SyncToken } });
    assert.equal(voided.status, 200);
    assert.equal(((voided.body as Row).Invoice as Row).Balance, 0);
    const v = (voided.body as Row).Invoice as Row;
    assert.equal((await emu.api('/invoice?operation=delete', { body: { Id: inv.Id, SyncToken: v.SyncToken } })).status, 200);
    assert.equal(faultCode((await emu.api(`/invoice/${String(inv.Id)}`)).body), '610');
  });

  void it('payments in a batch link and move balances like single calls', async () => {
    const inv = await invoice('8.00');
    const res = await emu.api('/batch', { body: { BatchItemRequest: [{ bId: 'p1', operation: 'create', Payment: { CustomerRef: { value: '1' }, TotalAmt: 8, Line: [{ Amount: 8, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] } }] } });
    assert.equal(res.status, 200);
    assert.equal((await readInvoice(inv.Id)).Balance, 0);
  });
});
