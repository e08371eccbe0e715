import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.ts';
import { createExportFixture, manyInvoicesDocument, type ExportFixture } from '../support/export-fixture.ts';
import { runExport, type ExportSummary } from '../../src/export/index.ts';

/**
 * Issues 13 and 16 together: credit memos and their applications against QuickBooks at its harshest (duplicate
 * numbers accepted, requestids forgotten, queries lagging) with answers lost and the writes applied only later.
 * Every memo is in QuickBooks once, carries our marker, and every credit is applied by one payment.
 */
const HARSH = { acceptDuplicateDocNumbers: true, requestIdTtlSeconds: 0, queryLagMs: 300 };
const MEMOS = 12;

interface Txn { Id: string; DocNumber: string; PrivateNote?: string }
interface PaymentRow { Id: string; TotalAmt: number; Line: Array<{ Amount: number; LinkedTxn: Array<{ TxnId: string; TxnType: string }> }> }

for (const dialect of dialects) {
  void describe(`credit memos against a harsh QuickBooks [${dialect}]`, () => {
    let f: ExportFixture;
    let companyId = 0;
    const run = (inDoubtSeconds: number): Promise<ExportSummary> => runExport({
      db: f.db, config: { ...f.config, qbo: { ...f.config.qbo, inDoubtSeconds } }, logger: f.logger,
      companyId, startedBy: 'test', dryRun: false, retry: { baseDelayMs: 5, maxDelayMs: 20, throttleDelayMs: 200 },
    });

    before(async () => {
      f = await createExportFixture(dialect, HARSH);
      await f.load(manyInvoicesDocument('HCM', MEMOS, 'H'));
      companyId = await f.companyId('HCM');
      await f.connect('HCM');
      assert.equal((await run(1)).invoices.created, MEMOS);
      await f.load({
        creditMemos: Array.from({ length: MEMOS }, (_, i) => ({
          company: 'HCM', memoNo: `HM-${i + 1}`, customerNo: `HC-${i % 5}`, memoDate: '2026-11-10', status: 'approved',
          appliesTo: `H-${String(i + 1).padStart(4, '0')}`, lines: [{ productNo: 'HP-A', qty: '1', unitPrice: '5' }],
        })),
      });
    });
    after(async () => f.close());

    void it('lost answers whose writes appear only after the commit delay: held in doubt, adopted, each memo and credit once', async () => {
      await f.control('faults', { rules: [
        { method: 'POST', path: '/creditmemo', commitDelayMs: 1_000, times: 2 },
        { method: 'POST', path: '/payment', commitDelayMs: 1_000, times: 2 },
      ] });
      const s = await run(2);
      await fetch(`${f.emulator.url}/_emulator/faults`, { method: 'DELETE' });
      assert.equal(s.status, 'succeeded', JSON.stringify([s.errors.slice(0, 3), s.warnings.slice(0, 3)]));
      assert.equal(s.creditMemos.inDoubt, 0);
      assert.ok(s.creditMemos.alreadyInQbo >= 1, 'a delayed memo was found by its marker and adopted, not sent again');
      assert.equal(s.creditMemos.created + s.creditMemos.alreadyInQbo, MEMOS);
      assert.equal(s.creditMemos.applied, MEMOS);

      const memos = (await f.entities<Txn>('CreditMemo')).filter((m) => m.DocNumber.startsWith('HM-'));
      assert.equal(memos.length, MEMOS, `memos in QuickBooks: ${memos.map((m) => m.DocNumber).sort().join(',')}`);
      for (const m of memos) assert.match(m.PrivateNote ?? '', /\[qbo-export HCM credit-memo \d+\]/);
      const applications = (await f.entities<PaymentRow>('Payment')).filter((p) => p.TotalAmt === 0);
      for (const m of memos) {
        const linking = applications.filter((p) => p.Line.some((l) => l.LinkedTxn.some((t) => t.TxnType === 'CreditMemo' && t.TxnId === m.Id)));
        assert.equal(linking.length, 1, `${m.DocNumber} applied by ${linking.length} payments`);
      }
      const erp = await f.db.kysely.selectFrom('credit_memos').select(['memo_no', 'transferred', 'application']).where('company_id', '=', companyId).execute();
      assert.ok(erp.every((m) => m.transferred === 1 && m.application === 'applied'), JSON.stringify(erp));
    });
  });
}
