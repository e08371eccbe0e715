import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.ts';
import { createExportFixture, type ExportFixture } from '../support/export-fixture.ts';
import { getRun, runExport, type ExportSummary } from '../../src/export/index.ts';
import { qboClientForCompany } from '../../src/qbo/company-client.ts';
import { connectionStore } from '../../src/export/connections.ts';
import { findCreditMemoByNo } from '../../src/store/credit-memos/repository.ts';
import { findInvoiceByNo } from '../../src/store/erp/invoices.ts';
import { creditDocument, memo } from '../support/credit-memos.ts';

interface Txn { Id: string; DocNumber: string; TotalAmt: number; Balance: number; RemainingCredit?: number; LinkedTxn?: Array<{ TxnId: string; TxnType: string }> }
interface PaymentRow { Id: string; TotalAmt: number; Line: Array<{ Amount: number; LinkedTxn: Array<{ TxnId: string; TxnType: string }> }> }

for (const dialect of dialects) {
  void describe(`credit memos applied to their invoices [${dialect}]`, () => {
    let f: ExportFixture;
    let companyId = 0;
    const run = (dryRun: boolean): Promise<ExportSummary> => runExport({ db: f.db, config: f.config, logger: f.logger, companyId, startedBy: 'test', dryRun });
    const byDoc = async (entity: string, doc: string): Promise<Txn> => {
      const row = (await f.entities<Txn>(entity)).find((r) => r.DocNumber === doc);
      assert.ok(row, `${entity} ${doc} in QuickBooks`);
      return row;
    };

    before(async () => {
      f = await createExportFixture(dialect);
      // Invoices of 100.00 each: INV-A gets a memo of 30, INV-B one of 150 (more than it owes), INV-C is paid first.
      await f.load(creditDocument({}, []));
      companyId = await f.companyId('CM');
      await f.connect('CM');
      const first = await run(false);
      assert.deepEqual(first.invoices, { created: 3, alreadyInQbo: 0, failed: 0, inDoubt: 0 });
      const client = await qboClientForCompany({ connections: connectionStore(f.db), config: f.config, companyId, logger: f.logger });
      const paid = await byDoc('Invoice', 'INV-C');
      const customer = (await f.entities<{ Id: string; DisplayName: string }>('Customer')).find((c) => c.DisplayName === 'Credited Customer & Co');
      assert.ok(customer);
      await client.create('Payment', { CustomerRef: { value: customer.Id }, TotalAmt: 100, Line: [{ Amount: 100, LinkedTxn: [{ TxnId: paid.Id, TxnType: 'Invoice' }] }] }, { requestId: 'customer-paid-inv-c' });
      await f.load({
        invoices: [{ company: 'CM', invoiceNo: 'INV-DRAFT', customerNo: 'CM-1', invoiceDate: '2026-11-02', status: 'draft', lines: [{ productNo: 'CM-WIDGET', qty: '1', unitPrice: '10' }] }],
        creditMemos: [
          memo('CM-30', 'CM-1', [{ productNo: 'CM-WIDGET', qty: '3', unitPrice: '10' }], { appliesTo: 'INV-A' }),
          memo('CM-150', 'CM-1', [{ productNo: 'CM-WIDGET', qty: '15', unitPrice: '10' }], { appliesTo: 'INV-B' }),
          memo('CM-PAID', 'CM-1', [{ productNo: 'CM-WIDGET', qty: '2', unitPrice: '10' }], { appliesTo: 'INV-C' }),
          memo('CM-NONE', 'CM-1', [{ productNo: 'CM-WIDGET', qty: '1', unitPrice: '10' }]),
          memo('CM-WAIT', 'CM-1', [{ productNo: 'CM-WIDGET', qty: '1', unitPrice: '10' }], { appliesTo: 'INV-DRAFT' }),
        ],
      });
    });
    after(async () => f.close());

    void it('applies each credit up to the open balance, leaves a paid invoice alone, as the dry run predicted', async () => {
      const dry = await run(true);
      assert.deepEqual(dry.creditMemos, { created: 5, alreadyInQbo: 0, failed: 0, applied: 2, inDoubt: 0 });
      assert.equal((await f.entities('CreditMemo')).length, 0);

      const real = await run(false);
      assert.deepEqual(real.creditMemos, { created: 5, alreadyInQbo: 0, failed: 0, applied: 2, inDoubt: 0 }, JSON.stringify(real.errors));
      assert.equal(real.status, 'succeeded', JSON.stringify(real.errors));

      // 30 of INV-A's 100: the invoice owes 70, the memo is used up.
      assert.deepEqual([(await byDoc('Invoice', 'INV-A')).Balance, (await byDoc('CreditMemo', 'CM-30')).RemainingCredit, (await byDoc('CreditMemo', 'CM-30')).Balance], [70, 0, 0]);
      // 150 against INV-B's 100: 100 applied, 50 left as credit.
      assert.deepEqual([(await byDoc('Invoice', 'INV-B')).Balance, (await byDoc('CreditMemo', 'CM-150')).RemainingCredit], [0, 50]);
      // INV-C was paid: nothing applied, the memo keeps its full credit.
      assert.deepEqual([(await byDoc('Invoice', 'INV-C')).Balance, (await byDoc('CreditMemo', 'CM-PAID')).RemainingCredit], [0, 20]);
      assert.equal((await byDoc('CreditMemo', 'CM-NONE')).RemainingCredit, 10);

      const payments = (await f.entities<PaymentRow>('Payment')).filter((p) => p.TotalAmt === 0);
      assert.equal(payments.length, 2);
      const memoA = await byDoc('CreditMemo', 'CM-30');
      const invA = await byDoc('Invoice', 'INV-A');
      const forA = payments.find((p) => p.Line.some((l) => l.LinkedTxn.some((t) => t.TxnType === 'CreditMemo' && t.TxnId === memoA.Id)));
      assert.deepEqual(forA?.Line.map((l) => [l.Amount, l.LinkedTxn[0]?.TxnType, l.LinkedTxn[0]?.TxnId]), [[30, 'Invoice', invA.Id], [30, 'CreditMemo', memoA.Id]]);

      const stored = await findCreditMemoByNo(f.db.kysely, companyId, 'CM-150');
      assert.deepEqual([stored?.application, stored?.applied_amount], ['applied', '100.00']);
      assert.equal((await findCreditMemoByNo(f.db.kysely, companyId, 'CM-PAID'))?.application, 'unapplied');
      assert.equal((await findCreditMemoByNo(f.db.kysely, companyId, 'CM-NONE'))?.application, 'none');
      assert.equal((await findCreditMemoByNo(f.db.kysely, companyId, 'CM-WAIT'))?.application, 'pending');

      const messages = (await getRun(f.db.kysely, real.runId))?.messages.map((m) => `${m.level} ${m.message}`) ?? [];
      for (const expected of [
        /^info Credit memo CM-30: credit of 30\.00 applied to invoice INV-A \(Id \d+\) \(Payment \d+\)$/,
        /^info Credit memo CM-150: credit of 100\.00 applied to invoice INV-B \(Id \d+\), its open balance; the other 50\.00 stays in QuickBooks as credit for you to use/,
        /^warning Credit memo CM-PAID: invoice INV-C \(Id \d+\) is already paid in QuickBooks; the credit stays in QuickBooks, unapplied, for you to use$/,
        /^warning Credit memo CM-WAIT: its credit waits for invoice INV-DRAFT, which is not in QuickBooks yet/,
      ]) assert.ok(messages.some((m) => expected.test(m)), `${String(expected)} in\n${messages.join('\n')}`);

      // Nothing applies twice: a second run sends no Payment.
      const again = await run(false);
      assert.deepEqual(again.creditMemos, { created: 0, alreadyInQbo: 0, failed: 0, applied: 0, inDoubt: 0 });
      assert.equal((await f.entities<PaymentRow>('Payment')).filter((p) => p.TotalAmt === 0).length, 2);
    });

    void it('applies a waiting credit once its invoice is exported', async () => {
      await f.load({ invoices: [{ company: 'CM', invoiceNo: 'INV-DRAFT', customerNo: 'CM-1', invoiceDate: '2026-11-02', status: 'approved', lines: [{ productNo: 'CM-WIDGET', qty: '1', unitPrice: '10' }] }] });
      const summary = await run(false);
      assert.deepEqual([summary.invoices.created, summary.creditMemos.applied], [1, 1], JSON.stringify(summary.errors));
      assert.equal((await byDoc('Invoice', 'INV-DRAFT')).Balance, 0);
      assert.ok((await findInvoiceByNo(f.db.kysely, companyId, 'INV-DRAFT'))?.qbo_invoice_id);
    });
  });
}
