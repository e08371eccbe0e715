import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectedEmulator, type ConnectedEmulator } from '../testing.ts';

type Row = Record<string, unknown>;
const faultDetail = (body: unknown): string => ((body as Row).Fault as { Error: Array<{ Detail: string }> } | undefined)?.Error[0]?.Detail ?? '';

void describe('CreditMemo applied to an invoice through a Payment of 0 (issue 16)', () => {
  let emu: ConnectedEmulator;
  before(async () => {
    emu = await connectedEmulator();
  });
  after(async () => emu.close());

  async function txn(entity: 'invoice' | 'creditmemo', amount: string, customer = '1'): Promise<Row> {
    const res = await emu.api(`/${entity}`, { body: { CustomerRef: { value: customer }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: '1' } } }] } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as Row)[entity === 'invoice' ? 'Invoice' : 'CreditMemo'] as Row;
  }
  const read = async (entity: 'invoice' | 'creditmemo', id: unknown): Promise<Row> => ((await emu.api(`/${entity}/${String(id)}`)).body as Row)[entity === 'invoice' ? 'Invoice' : 'CreditMemo'] as Row;
  const customerBalance = async (id = '1'): Promise<number> => Number((((await emu.api(`/customer/${id}`)).body as Row).Customer as Row).Balance ?? 0);
  const apply = (invoiceId: unknown, memoId: unknown, amount: string, customer = '1') => emu.api('/payment', { body: {
    CustomerRef: { value: customer }, TotalAmt: 0,
    Line: [{ Amount: amount, LinkedTxn: [{ TxnId: String(invoiceId), TxnType: 'Invoice' }] }, { Amount: amount, LinkedTxn: [{ TxnId: String(memoId), TxnType: 'CreditMemo' }] }],
  } });

  void it('moves the invoice Balance, the memo RemainingCredit and Balance, links both sides, keeps the customer balance', async () => {
    const inv = await txn('invoice', '100.00');
    const memo = await txn('creditmemo', '30.00');
    assert.deepEqual([memo.Balance, memo.RemainingCredit], [30, 30]);
    const before = await customerBalance();
    const res = await apply(inv.Id, memo.Id, '30.00');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const payment = (res.body as Row).Payment as Row;
    assert.deepEqual([payment.TotalAmt, payment.UnappliedAmt], [0, 0]);
    const invoice = await read('invoice', inv.Id);
    const credit = await read('creditmemo', memo.Id);
    assert.equal(invoice.Balance, 70);
    assert.deepEqual([credit.RemainingCredit, credit.Balance], [0, 0]);
    assert.deepEqual(invoice.LinkedTxn, [{ TxnId: payment.Id, TxnType: 'Payment' }]);
    assert.deepEqual(credit.LinkedTxn, [{ TxnId: payment.Id, TxnType: 'Payment' }]);
    assert.equal(await customerBalance(), before, 'applying a credit moves no money: the customer owes the same');
  });

  void it('refuses more than the remaining credit or the open balance, and a memo of another customer', async () => {
    const inv = await txn('invoice', '20.00');
    const memo = await txn('creditmemo', '50.00');
    const tooMuch = await apply(inv.Id, memo.Id, '25.00');
    assert.equal(tooMuch.status, 400);
    assert.match(faultDetail(tooMuch.body), /more than its open balance/);
    const partial = await apply(inv.Id, memo.Id, '20.00');
    assert.equal(partial.status, 200, JSON.stringify(partial.body));
    assert.deepEqual([(await read('creditmemo', memo.Id)).RemainingCredit, (await read('invoice', inv.Id)).Balance], [30, 0]);
    const other = await txn('creditmemo', '5.00', '2');
    const inv2 = await txn('invoice', '5.00');
    const foreign = await apply(inv2.Id, other.Id, '5.00');
    assert.equal(foreign.status, 400);
    assert.match(faultDetail(foreign.body), /another customer/);
    const unbalanced = await emu.api('/payment', { body: { CustomerRef: { value: '1' }, TotalAmt: 0, Line: [{ Amount: '5.00', LinkedTxn: [{ TxnId: String(inv2.Id), TxnType: 'Invoice' }] }] } });
    assert.equal(unbalanced.status, 400, 'a payment of 0 cannot pay an invoice without a credit');
  });

  void it('voiding or deleting the payment gives the credit back; a memo with an applied payment cannot be voided or deleted', async () => {
    const inv = await txn('invoice', '40.00');
    const memo = await txn('creditmemo', '10.00');
    const payment = (((await apply(inv.Id, memo.Id, '10.00')).body as Row).Payment) as Row;
    const refused = await emu.api('/creditmemo?operation=void', { body: { Id: memo.Id, SyncToken: (await read('creditmemo', memo.Id)).SyncToken } });
    assert.equal(refused.status, 400);
    const voided = await emu.api('/payment?operation=void', { body: { Id: payment.Id, SyncToken: payment.SyncToken } });
    assert.equal(voided.status, 200, JSON.stringify(voided.body));
    assert.deepEqual([(await read('creditmemo', memo.Id)).RemainingCredit, (await read('invoice', inv.Id)).Balance], [10, 40]);
    const deleted = await emu.api('/creditmemo?operation=delete', { body: { Id: memo.Id, SyncToken: (await read('creditmemo', memo.Id)).SyncToken } });
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  });
});
