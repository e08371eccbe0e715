import assert from 'node:assert/strict';
import { Big } from 'big.js';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.ts';
import { createExportFixture, manyInvoicesDocument, runCli, type ExportFixture } from '../support/export-fixture.ts';
import { runExport } from '../../src/export/index.ts';

const MEMOS = 40;
const KILLS = 4;

interface Txn { Id: string; DocNumber: string; TotalAmt: number; Balance: number; RemainingCredit?: number }
interface PaymentRow { Id: string; TotalAmt: number; Line: Array<{ Amount: number; LinkedTxn: Array<{ TxnId: string; TxnType: string }> }> }

for (const dialect of dialects) {
  void describe(`credit memo export killed at random instants [${dialect}]`, () => {
    let f: ExportFixture;
    let companyId = 0;

    before(async () => {
      f = await createExportFixture(dialect, { latencyMs: 15 });
      await f.load(manyInvoicesDocument('KCM', MEMOS, 'Q'));
      companyId = await f.companyId('KCM');
      await f.connect('KCM');
      const invoices = await runExport({ db: f.db, config: f.config, logger: f.logger, companyId, startedBy: 'test', dryRun: false });
      assert.equal(invoices.invoices.created, MEMOS);
      // One credit of 5.00 per invoice: creating the memos and applying them is all the next runs do.
      await f.load({
        creditMemos: Array.from({ length: MEMOS }, (_, i) => ({
          company: 'KCM', memoNo: `QM-${String(i + 1).padStart(4, '0')}`, customerNo: `QC-${i % 5}`, memoDate: '2026-11-10', status: 'approved',
          appliesTo: `Q-${String(i + 1).padStart(4, '0')}`, lines: [{ productNo: 'QP-A', qty: '1', unitPrice: '5' }],
        })),
      });
    });
    after(async () => f.close());

    void it('kill -9 during the memo phase until a run finishes: each memo once in QBO, each credit applied once', async () => {
      // QuickBooks slowed a little before it commits, so kills land while memos and payments are in flight.
      await f.control('faults', { rules: [{ method: 'POST', path: '/creditmemo', delayMs: 40, times: 10_000 }, { method: 'POST', path: '/payment', delayMs: 40, times: 10_000 }] });
      const outcomes: string[] = [];
      for (let attempt = 0; attempt < 20; attempt++) {
        const kill = attempt < KILLS ? { when: /Sales Invoice Exporter started/, afterMs: 200 + Math.floor(Math.random() * 2500) } : undefined;
        const r = await runCli(f, ['export', '--company', 'KCM', '--json'], kill, { LOG_LEVEL: 'info' });
        outcomes.push(r.signal ?? String(r.code));
        if (r.code === 0) break;
        assert.ok(r.signal === 'SIGKILL', `unexpected exit ${r.code}: ${r.stdout.slice(-2000)} ${r.stderr.slice(-2000)}`);
      }
      assert.equal(outcomes.at(-1), '0', `never finished: ${outcomes.join(',')}`);
      assert.ok(outcomes.filter((o) => o === 'SIGKILL').length >= 2, `too few kills: ${outcomes.join(',')}`);

      const memos = (await f.entities<Txn>('CreditMemo')).filter((m) => m.DocNumber.startsWith('QM-'));
      const docs = memos.map((m) => m.DocNumber);
      assert.equal(new Set(docs).size, docs.length, `a credit memo twice in QBO: ${docs.sort().join(',')}`);
      assert.equal(memos.length, MEMOS);
      const erp = await f.db.kysely.selectFrom('credit_memos').select(['memo_no', 'transferred', 'qbo_credit_memo_id', 'application', 'applied_amount']).where('company_id', '=', companyId).execute();
      for (const m of erp) {
        const qbo = memos.find((q) => q.DocNumber === m.memo_no);
        assert.deepEqual([m.transferred, m.qbo_credit_memo_id, m.application, m.applied_amount], [1, qbo?.Id, 'applied', '5.00'], m.memo_no);
      }
      // Each credit applied by exactly one payment; each invoice lowered by exactly 5.00.
      const payments = (await f.entities<PaymentRow>('Payment')).filter((p) => p.TotalAmt === 0);
      for (const m of memos) {
        const linking = payments.filter((p) => p.Line.some((l) => l.Amount > 0 && l.LinkedTxn.some((t) => t.TxnType === 'CreditMemo' && t.TxnId === m.Id)));
        assert.equal(linking.length, 1, `credit memo ${m.DocNumber} applied ${linking.length} times`);
        assert.equal(m.RemainingCredit, 0);
      }
      for (const inv of (await f.entities<Txn>('Invoice')).filter((i) => i.DocNumber.startsWith('Q-'))) {
        assert.ok(new Big(inv.TotalAmt).minus(inv.Balance).eq(5), `invoice ${inv.DocNumber}: total ${inv.TotalAmt}, balance ${inv.Balance}`);
      }
    });
  });
}
