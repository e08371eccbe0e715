import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.ts';
import { assertExactlyOnce, createExportFixture, invoice, manyInvoicesDocument, type ExportFixture } from '../support/export-fixture.ts';
import { getRun, runExport, type ExportProgress, type ExportSummary } from '../../src/export/index.ts';
import { connectionStore } from '../../src/export/connections.ts';
import { leaseName } from '../../src/export/lease.ts';

/**
 * Issue 13: exactly once against QuickBooks at its harshest — duplicate DocNumbers accepted, requestids not
 * remembered, queries lagging behind writes, and writes applied after the connection dropped (commitDelayMs).
 */
const HARSH = { acceptDuplicateDocNumbers: true, requestIdTtlSeconds: 0, queryLagMs: 400 };
const fastRetry = { baseDelayMs: 5, maxDelayMs: 20, throttleDelayMs: 200 };

interface QboInvoice { Id: string; DocNumber?: string; SyncToken: string; TotalAmt: number; PrivateNote?: string; TxnTaxDetail?: { TotalTax?: number } }

for (const dialect of dialects) {
  void describe(`export against a harsh QuickBooks [${dialect}]`, () => {
    let f: ExportFixture;
    const ids: Record<string, number> = {};
    const run = (code: string, inDoubtSeconds: number, extra: { onProgress?: (p: ExportProgress) => void } = {}): Promise<ExportSummary> =>
      runExport({
        db: f.db, config: { ...f.config, qbo: { ...f.config.qbo, inDoubtSeconds } }, logger: f.logger,
        companyId: ids[code] ?? 0, startedBy: 'test', dryRun: false, retry: fastRetry, ...extra,
      });
    const clearFaults = () => fetch(`${f.emulator.url}/_emulator/faults`, { method: 'DELETE' });

    before(async () => {
      f = await createExportFixture(dialect, HARSH);
      for (const [code, prefix, n] of [['LAG', 'G', 40], ['LDL', 'X', 150], ['LEX', 'Y', 150]] as const) {
        await f.load(manyInvoicesDocument(code, n, prefix));
        ids[code] = await f.companyId(code);
        await f.connect(code);
      }
    });
    after(async () => f.close());

    void it('a lost answer whose write appears only after the commit delay (longer than the look-up): held in doubt, adopted, 0 duplicates', async () => {
      // Connections drop at once and QBO applies the write 1.5 s later: the look-up right after finds nothing.
      await f.control('faults', { rules: [
        { method: 'POST', path: '/batch', commitDelayMs: 1_500, times: 1 },
        { method: 'POST', path: '/invoice', commitDelayMs: 1_500, times: 2 },
        { method: 'POST', path: '/customer', commitDelayMs: 1_500, times: 1 },
        { method: 'POST', path: '/item', commitDelayMs: 1_500, times: 1 },
      ] });
      const s = await run('LAG', 2.5);
      await clearFaults();
      assert.equal(s.status, 'succeeded', JSON.stringify([s.errors.slice(0, 3), s.warnings.slice(0, 3)]));
      assert.equal(s.invoices.inDoubt + s.customers.inDoubt + s.products.inDoubt, 0);
      assert.ok(s.invoices.alreadyInQbo >= 1, 'the delayed writes were found and adopted, not sent again');
      assert.equal(s.invoices.created + s.invoices.alreadyInQbo, 40);
      await assertExactlyOnce(f, ids.LAG ?? 0, 'G', 40);
      const entry = await getRun(f.db.kysely, s.runId);
      assert.ok(entry?.messages.some((m) => /is in doubt/.test(m.message)), 'the Process Log says what was in doubt');
      // The ledger keeps what QBO saw: for a batch item the batch's requestid and its bId.
      const batched = await f.db.kysely.selectFrom('export_intents').selectAll().where('company_id', '=', ids.LAG ?? 0).where('batch_item_id', 'is not', null).execute();
      assert.ok(batched.length > 0);
      const batchIds = new Set(batched.map((b) => b.request_id));
      assert.ok(batchIds.size < batched.length, 'items of one batch share its requestid');
      assert.ok(batched.every((b) => /^b\d+$/.test(b.batch_item_id ?? '')));
    });

    for (const [code, prefix, how] of [['LDL', 'X', 'deleted'], ['LEX', 'Y', 'expired']] as const) {
      void it(`a lease ${how} under a running export while a second run starts: the first stops before its next write, 0 duplicates`, async () => {
        // Slow QBO down so that the first run is mid-way through its invoices when the lease goes.
        await f.control('faults', { rules: [{ method: 'POST', path: '/batch', delayMs: 250, times: 10_000 }, { method: 'POST', path: '/invoice', delayMs: 80, times: 10_000 }] });
        let second: Promise<ExportSummary> | null = null;
        const first = run(code, 1, {
          onProgress: (p) => {
            if (p.phase !== 'invoices' || p.done < 20 || second) return;
            second = (async () => {
              const name = leaseName(ids[code] ?? 0);
              if (how === 'deleted') await f.db.kysely.deleteFrom('locks').where('name', '=', name).execute();
              else await f.db.kysely.updateTable('locks').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('name', '=', name).execute();
              return run(code, 1);
            })();
          },
        });
        const a = await first;
        assert.ok(second, 'the second run started');
        const b = await (second as Promise<ExportSummary>);
        await clearFaults();
        assert.equal(a.status, 'failed', JSON.stringify(a));
        assert.equal(a.stopReason, 'lease-lost');
        assert.ok(a.invoices.created < 150, 'the first run stopped early');
        assert.equal(b.status, 'succeeded', JSON.stringify([b.errors.slice(0, 3), b.warnings.slice(0, 3)]));
        await assertExactlyOnce(f, ids[code] ?? 0, prefix, 150);
      });
    }
  });

  void describe(`adoption by provenance after a lost answer [${dialect}]`, () => {
    let f: ExportFixture;
    const ids: Record<string, number> = {};
    let astRealm = '';
    const run = (code: string, inDoubtSeconds: number): Promise<ExportSummary> =>
      runExport({ db: f.db, config: { ...f.config, qbo: { ...f.config.qbo, inDoubtSeconds } }, logger: f.logger, companyId: ids[code] ?? 0, startedBy: 'test', dryRun: false, retry: fastRetry });
    const qbo = async (realmId: string, path: string, body: unknown, code: string): Promise<Response> => {
      const { CompanyTokenSource } = await import('../../src/qbo/index.ts');
      const token = await new CompanyTokenSource({ connections: connectionStore(f.db), config: f.config, companyId: ids[code] ?? 0, logger: f.logger }).accessToken();
      return fetch(`${f.emulator.url}/v3/company/${realmId}${path}`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body),
      });
    };
    /** One run whose invoice write is applied only after the run ended (a window longer than the run waits). */
    const leaveInDoubt = async (code: string): Promise<void> => {
      // The write shows in queries only after the run's own look-up, however slow this machine is that day.
      await f.control('faults', { rules: [{ method: 'POST', path: '/invoice', commitDelayMs: 2_000, times: 1 }, { method: 'POST', path: '/batch', commitDelayMs: 2_000, times: 1 }] });
      const s = await run(code, 3_600);
      await fetch(`${f.emulator.url}/_emulator/faults`, { method: 'DELETE' });
      assert.equal(s.invoices.inDoubt, 1, JSON.stringify((await getRun(f.db.kysely, s.runId))?.messages));
      assert.equal(s.status, 'partial');
      assert.equal(s.invoices.failed, 0);
      assert.match(s.warnings.find((w) => w.record.startsWith('Invoice'))?.message ?? '', /still in doubt: .*next export looks it up/);
      await new Promise((r) => setTimeout(r, 2_600));
    };

    before(async () => {
      f = await createExportFixture(dialect, HARSH);
      astRealm = ((await f.control('realms', { name: 'AST Co', country: 'US', automatedSalesTax: true })) as { realmId: string }).realmId;
      const doc = {
        companies: [{ code: 'TAXD', name: 'Tax Doubt', qbPrimaryCompany: true }, { code: 'VOID', name: 'Void Doubt', qbPrimaryCompany: true }],
        customers: [{ customerNo: 'TD-1', name: 'Doubt Buyer', billingAddress: { line1: '1 Main', city: 'Austin', region: 'TX', country: 'US' } }],
        products: [{ company: 'TAXD', productNo: 'TD-SVC', type: 'Service', unitPrice: '10' }, { company: 'VOID', productNo: 'VD-SVC', type: 'Service', unitPrice: '10' }],
        invoices: [
          invoice('TAXD', 'TD-1', 'TD-1', [{ productNo: 'TD-SVC', qty: '3', unitPrice: '100.00', taxable: true }]),
          invoice('VOID', 'VD-1', 'TD-1', [{ productNo: 'VD-SVC', qty: '2', unitPrice: '10.00' }]),
        ],
      };
      await f.load(doc);
      for (const code of ['TAXD', 'VOID']) ids[code] = await f.companyId(code);
      await f.connect('TAXD', astRealm);
      await f.connect('VOID');
    });
    after(async () => f.close());

    void it('our invoice is adopted by its marker after QuickBooks added tax and the ERP invoice changed', async () => {
      await leaveInDoubt('TAXD');
      const rows = (await f.entities<QboInvoice>('Invoice', astRealm)).filter((r) => r.DocNumber === 'TD-1');
      assert.equal(rows.length, 1);
      assert.ok(Number(rows[0]?.TxnTaxDetail?.TotalTax) > 0, 'QuickBooks added its own tax');
      assert.match(rows[0]?.PrivateNote ?? '', /^\[qbo-export TAXD invoice \d+\]$/);
      // The ERP invoice is edited after the lost answer: neither total agrees any more.
      const inv = await f.db.kysely.selectFrom('sales_invoices').select('id').where('invoice_no', '=', 'TD-1').executeTakeFirstOrThrow();
      await f.db.kysely.updateTable('invoice_lines').set({ qty: '4' }).where('invoice_id', '=', inv.id).execute();
      const s = await run('TAXD', 0.5);
      assert.equal(s.status, 'succeeded', JSON.stringify(s));
      assert.deepEqual(s.invoices, { created: 0, alreadyInQbo: 1, failed: 0, inDoubt: 0 });
      assert.match(s.warnings.find((w) => w.record === 'Invoice TD-1')?.message ?? '', /the ERP invoice changed after it was sent/);
      assert.equal((await f.entities<QboInvoice>('Invoice', astRealm)).filter((r) => r.DocNumber === 'TD-1').length, 1);
      const erp = await f.db.kysely.selectFrom('sales_invoices').selectAll().where('id', '=', inv.id).executeTakeFirstOrThrow();
      assert.equal(erp.transferred, 1);
    });

    void it('a voided match is reported with what to do, and nothing is created again', async () => {
      await leaveInDoubt('VOID');
      const ours = (await f.entities<QboInvoice>('Invoice')).find((r) => r.DocNumber === 'VD-1');
      assert.ok(ours);
      const voided = await qbo(f.realmId, '/invoice?operation=void&minorversion=75', { Id: ours.Id, SyncToken: ours.SyncToken }, 'VOID');
      assert.equal(voided.status, 200, await voided.text());
      await new Promise((r) => setTimeout(r, 500));
      const s = await run('VOID', 0.5);
      assert.equal(s.status, 'partial');
      assert.deepEqual(s.invoices, { created: 0, alreadyInQbo: 0, failed: 1, inDoubt: 0 });
      assert.match(s.errors.find((e) => e.record === 'Invoice VD-1')?.message ?? '', /\(Id \d+\) was voided in QuickBooks\. .*set the ERP invoice back to draft.*delete the voided invoice in QuickBooks/);
      assert.equal((await f.entities<QboInvoice>('Invoice')).filter((r) => r.DocNumber === 'VD-1').length, 1);
      // Run again: still reported, still not created twice.
      const again = await run('VOID', 0.5);
      assert.equal(again.invoices.created, 0);
      assert.equal((await f.entities<QboInvoice>('Invoice')).filter((r) => r.DocNumber === 'VD-1').length, 1);
    });
  });
}
