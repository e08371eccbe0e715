import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.ts';
import { creditDocument, memo } from '../support/credit-memos.ts';
import { createExportFixture, type ExportFixture } from '../support/export-fixture.ts';
import { getRun, runExport, type ExportSummary } from '../../src/export/index.ts';
import { findCreditMemoByNo } from '../../src/store/credit-memos/repository.ts';
import { exportCounts } from '../../src/store/erp/counts.ts';
import { qboClientForCompany } from '../../src/qbo/company-client.ts';
import { connectionStore } from '../../src/export/connections.ts';

interface QboCreditMemoRow {
  Id: string;
  DocNumber: string;
  TxnDate: string;
  TotalAmt: number;
  Balance: number;
  RemainingCredit: number;
  CustomerRef: { value: string };
  Line: Array<{ Amount: number; DetailType: string; SalesItemLineDetail?: { ItemRef: { value: string; name?: string } } }>;
}

for (const dialect of dialects) {
  void describe(`credit memos end to end [${dialect}]`, () => {
    let f: ExportFixture;
    let companyId = 0;
    const run = (dryRun: boolean): Promise<ExportSummary> => runExport({ db: f.db, config: f.config, logger: f.logger, companyId, startedBy: 'test', dryRun });

    before(async () => {
      f = await createExportFixture(dialect);
      await f.load(creditDocument({ applyCreditMemos: false }, [
        memo('CM-PLAIN', 'CM-2', [{ productNo: 'CM-WIDGET', qty: '2', unitPrice: '10' }, { charge: 'Restocking', qboItemName: 'Services', qty: '1', unitPrice: '0.335' }], { freight: '5' }),
        memo('CM-OFF', 'CM-1', [{ productNo: 'CM-WIDGET', qty: '1', unitPrice: '10' }], { appliesTo: 'INV-A' }),
        memo('CM-DRAFT', 'CM-1', [{ productNo: 'CM-WIDGET', qty: '1', unitPrice: '10' }], { status: 'draft' }),
      ]));
      companyId = await f.companyId('CM');
      await f.connect('CM');
    });
    after(async () => f.close());

    void it('exports approved credit memos after the invoices, as the dry run predicted, mapped as invoices are', async () => {
      assert.equal((await exportCounts(f.db.kysely, companyId)).creditMemoExportQty, 2);
      const dry = await run(true);
      assert.deepEqual(dry.creditMemos, { created: 2, alreadyInQbo: 0, failed: 0, applied: 0, inDoubt: 0 });
      assert.equal((await f.entities('CreditMemo')).length, 0, 'a dry run writes nothing to QuickBooks');

      const real = await run(false);
      assert.equal(real.status, 'succeeded', JSON.stringify(real.errors));
      assert.deepEqual(real.invoices, { created: 3, alreadyInQbo: 0, failed: 0, inDoubt: 0 });
      assert.deepEqual(real.creditMemos, dry.creditMemos);
      assert.equal((await exportCounts(f.db.kysely, companyId)).creditMemoExportQty, 0);

      const memos = await f.entities<QboCreditMemoRow>('CreditMemo');
      assert.deepEqual(memos.map((m) => m.DocNumber).sort(), ['CM-OFF', 'CM-PLAIN']);
      const plain = memos.find((m) => m.DocNumber === 'CM-PLAIN')!;
      // 2 × 10 + round-half-up(0.335) + freight 5 on the Shipping item (the invoices' header-charge mapping).
      assert.equal(plain.TotalAmt, 25.34);
      assert.equal(plain.RemainingCredit, 25.34);
      assert.equal(plain.TxnDate, '2026-11-10');
      assert.deepEqual(plain.Line.filter((l) => l.DetailType === 'SalesItemLineDetail').map((l) => [l.Amount, l.SalesItemLineDetail?.ItemRef.name]), [[20, 'CM-WIDGET'], [0.34, 'Services'], [5, 'Shipping']]);
      const stored = await findCreditMemoByNo(f.db.kysely, companyId, 'CM-PLAIN');
      assert.equal(stored?.transferred, 1);
      assert.equal(stored?.qbo_credit_memo_id, plain.Id);
      assert.equal(stored?.application, 'none');
      assert.equal((await findCreditMemoByNo(f.db.kysely, companyId, 'CM-OFF'))?.application, 'none', 'applyCreditMemos false: the credit is left for the user');

      const entry = await getRun(f.db.kysely, real.runId);
      assert.deepEqual(entry?.counts.creditMemos, { created: 2, alreadyInQbo: 0, failed: 0, applied: 0, inDoubt: 0 });
      const lines = entry?.messages.filter((m) => m.recordKind === 'credit-memo').map((m) => m.message) ?? [];
      assert.ok(lines.some((m) => /^Credit memo CM-PLAIN: created in QuickBooks \(Id \d+, total 25\.34 = lines 25\.34 \+ tax 0\.00 computed by QuickBooks\)$/.test(m)), lines.join('\n'));
      assert.ok(lines.some((m) => /^Credit memo CM-OFF: created in QuickBooks/.test(m)), lines.join('\n'));
      assert.equal((await f.entities('Payment').catch(() => [])).length, 0, 'nothing applied with the setting off');

      const again = await run(false);
      assert.deepEqual(again.creditMemos, { created: 0, alreadyInQbo: 0, failed: 0, applied: 0, inDoubt: 0 });
      assert.equal((await f.entities('CreditMemo')).length, 2);
    });

    void it('adopts a credit memo whose create was committed but answered with an error, and reports a foreign one with the same number', async () => {
      await f.load({ creditMemos: [memo('CM-RESUME', 'CM-2', [{ productNo: 'CM-WIDGET', qty: '3', unitPrice: '10' }]), memo('CM-TAKEN', 'CM-2', [{ productNo: 'CM-WIDGET', qty: '1', unitPrice: '10' }])] });
      // Someone keyed CM-TAKEN by hand in QuickBooks, for another customer.
      const client = await qboClientForCompany({ connections: connectionStore(f.db), config: f.config, companyId, logger: f.logger });
      const other = (await f.entities<{ Id: string; DisplayName: string }>('Customer')).find((c) => c.DisplayName === 'Credited Customer & Co');
      assert.ok(other);
      await client.create('CreditMemo', {
        DocNumber: 'CM-TAKEN', CustomerRef: { value: other.Id },
        Line: [{ DetailType: 'SalesItemLineDetail', Amount: 1, SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 1 } }],
      }, { requestId: 'keyed-by-hand' });
      // Every credit memo create is applied by QuickBooks, but its answer is a 500.
      await f.control('faults', { rules: [{ method: 'POST', path: '/creditmemo', status: 500, times: 20, afterCommit: true }] });
      const summary = await runExport({ db: f.db, config: f.config, logger: f.logger, companyId, startedBy: 'test', dryRun: false, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
      await fetch(`${f.emulator.url}/_emulator/faults`, { method: 'DELETE' });
      assert.deepEqual(summary.creditMemos, { created: 0, alreadyInQbo: 1, failed: 1, applied: 0, inDoubt: 0 }, JSON.stringify(summary.errors));
      const docNumbers = (await f.entities<QboCreditMemoRow>('CreditMemo')).map((m) => m.DocNumber);
      assert.equal(docNumbers.filter((d) => d === 'CM-RESUME').length, 1, 'never a second credit memo');
      assert.match(summary.errors[0]?.message ?? '', /^Credit memo CM-TAKEN: QuickBooks already has credit memo number CM-TAKEN \(Id \d+\) with customer Id \d+ instead of \d+ and total 1 instead of 10\.00 \(6140\)/);
      assert.equal((await findCreditMemoByNo(f.db.kysely, companyId, 'CM-TAKEN'))?.transferred, 0);
    });
  });
}
