import { qboIdIn } from '../../src/store/erp/qbo-ids.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.ts';
import { assertExactlyOnce, createExportFixture, invoice, manyInvoicesDocument, type ExportFixture } from '../support/export-fixture.ts';
import {
  ExportAlreadyRunningError, ExportService, getRun, runExport, UNAUTHORIZED_MESSAGE, type ExportEvent, type ExportProgress, type ExportSummary,
} from '../../src/export/index.ts';
import { connectionStore } from '../../src/export/connections.ts';

/** Client retries in milliseconds instead of seconds, so exhausting them is quick. */
const fastRetry = { baseDelayMs: 5, maxDelayMs: 20, throttleDelayMs: 200 };

for (const dialect of dialects) {
  void describe(`export exactly once [${dialect}]`, () => {
    let f: ExportFixture;
    const ids: Record<string, number> = {};
    const run = (code: string, extra: { onProgress?: (p: ExportProgress) => void; concurrency?: { batchWorkers: number; singleWorkers: number } } = {}): Promise<ExportSummary> =>
      runExport({ db: f.db, config: f.config, logger: f.logger, companyId: ids[code] ?? 0, startedBy: 'test', dryRun: false, retry: fastRetry, ...extra });

    before(async () => {
      f = await createExportFixture(dialect);
      for (const [code, prefix, n] of [['FLT', 'F', 45], ['DRP', 'D', 40], ['AUTH', 'A', 90], ['DUP', 'U', 0], ['LCK', 'L', 5]] as const) {
        await f.load(manyInvoicesDocument(code, n, prefix));
        ids[code] = await f.companyId(code);
        await f.connect(code);
      }
    });
    after(async () => f.close());

    void it('500 after QBO committed, on batch, single and name-list creates: nothing twice, nothing lost', async () => {
      await f.control('faults', { rules: [
        // More failures than the client retries: the exporter must settle them by looking the records up.
        { method: 'POST', path: '/batch', status: 500, afterCommit: true, times: 12 },
        { method: 'POST', path: '/invoice', status: 500, afterCommit: true, times: 12 },
        { method: 'POST', path: '/customer', status: 500, afterCommit: true, times: 6 },
        { method: 'POST', path: '/item', status: 503, afterCommit: true, times: 6 },
      ] });
      const s = await run('FLT');
      await f.control('faults', { rules: [] });
      await fetch(`${f.emulator.url}/_emulator/faults`, { method: 'DELETE' });
      assert.equal(s.status, 'succeeded', JSON.stringify(s.errors.slice(0, 3)));
      assert.equal(s.invoices.created + s.invoices.alreadyInQbo, 45);
      assert.ok(s.invoices.alreadyInQbo > 0, 'some invoices were settled by look-up');
      await assertExactlyOnce(f, ids.FLT ?? 0, 'F', 45);
    });

    void it('connections dropped after QBO committed: nothing twice, nothing lost', async () => {
      await f.control('faults', { rules: [
        { method: 'POST', path: '/batch', drop: true, afterCommit: true, times: 8 },
        { method: 'POST', path: '/invoice', drop: true, afterCommit: true, times: 8 },
        { method: 'POST', path: '/customer', drop: true, afterCommit: true, times: 2 },
        { method: 'POST', path: '/batch', drop: true, times: 2 },
      ] });
      const s = await run('DRP');
      await fetch(`${f.emulator.url}/_emulator/faults`, { method: 'DELETE' });
      assert.equal(s.status, 'succeeded', JSON.stringify(s.errors.slice(0, 3)));
      await assertExactlyOnce(f, ids.DRP ?? 0, 'D', 40);
    });

    void it('401 in the middle of a run: stops cleanly with the exact sentence; after reconnecting the next run resumes', async () => {
      let disconnected = false;
      // One batch at a time, the later ones slowed: the user disconnects the app after the first 30 invoices,
      // while the next batch is on its way, so the one after it meets the revoked grant.
      await f.control('faults', { rules: [{ method: 'POST', path: '/batch', delayMs: 1, times: 1 }, { method: 'POST', path: '/batch', delayMs: 300, times: 100 }] });
      const s = await run('AUTH', {
        concurrency: { batchWorkers: 1, singleWorkers: 0 },
        onProgress: (p) => {
          if (p.phase === 'invoices' && p.done >= 30 && !disconnected) {
            disconnected = true;
            void f.control(`realms/${f.realmId}/disconnect`, {});
          }
        },
      });
      await fetch(`${f.emulator.url}/_emulator/faults`, { method: 'DELETE' });
      assert.equal(s.status, 'failed');
      assert.equal(s.stopReason, 'unauthorized');
      assert.equal(s.stoppedBecause, UNAUTHORIZED_MESSAGE);
      assert.ok(s.invoices.created >= 30 && s.invoices.created < 90, `stopped in the middle (${s.invoices.created} created)`);
      const entry = await getRun(f.db.kysely, s.runId);
      assert.equal(entry?.status, 'failed');
      assert.equal(entry?.error, UNAUTHORIZED_MESSAGE);
      assert.ok(entry?.messages.some((m) => m.level === 'error' && m.message === UNAUTHORIZED_MESSAGE));

      // Every company on that realm lost its grant: reconnect them, as the user would.
      for (const code of Object.keys(ids)) await f.connect(code);
      const resumed = await run('AUTH');
      assert.equal(resumed.status, 'succeeded', JSON.stringify(resumed.errors.slice(0, 3)));
      await assertExactlyOnce(f, ids.AUTH ?? 0, 'A', 90);
    });

    void it('a DocNumber already in QBO (6140) is adopted when it is ours, reported when it is not', async () => {
      await f.load({
        customers: [{ customerNo: 'UC-1', name: 'Dup Customer' }],
        products: [{ company: 'DUP', productNo: 'UP', type: 'Service', unitPrice: '10' }],
        invoices: [
          invoice('DUP', 'U-1', 'UC-1', [{ productNo: 'UP', qty: '2', unitPrice: '10' }]),
          invoice('DUP', 'U-2', 'UC-1', [{ productNo: 'UP', qty: '3', unitPrice: '10' }]),
        ],
      });
      // A first run adds customer and product but no invoice (the invoices are drafts for now).
      await f.db.kysely.updateTable('sales_invoices').set({ status: 'draft' }).where('company_id', '=', ids.DUP ?? 0).execute();
      await run('DUP');
      const customer = await f.db.kysely.selectFrom('customers').selectAll().where('customer_no', '=', 'UC-1').executeTakeFirstOrThrow();
      const product = await f.db.kysely.selectFrom('products').selectAll().where('product_no', '=', 'UP').executeTakeFirstOrThrow();
      // Someone (an earlier export whose database was restored from backup) already created U-1; U-2 exists with another total.
      const token = await accessToken(f, ids.DUP ?? 0);
      for (const [doc, qty] of [['U-1', 2], ['U-2', 5]] as const) {
        const res = await fetch(`${f.emulator.url}/v3/company/${f.realmId}/invoice?minorversion=75`, {
          method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ DocNumber: doc, CustomerRef: { value: await qboIdIn(f.db.kysely, f.realmId, 'customer', customer.id) }, Line: [
            { DetailType: 'SalesItemLineDetail', Amount: qty * 10, SalesItemLineDetail: { ItemRef: { value: await qboIdIn(f.db.kysely, f.realmId, 'product', product.id) }, Qty: qty, UnitPrice: 10 } }] }),
        });
        assert.equal(res.status, 200, await res.text());
      }
      await f.db.kysely.updateTable('sales_invoices').set({ status: 'approved' }).where('company_id', '=', ids.DUP ?? 0).execute();
      const s = await run('DUP');
      assert.deepEqual(s.invoices, { created: 0, alreadyInQbo: 1, failed: 1, inDoubt: 0 });
      assert.match(s.errors.find((e) => e.record === 'Invoice U-2')?.message ?? '', /QuickBooks already has invoice number U-2 \(Id \d+\) with total 50 instead of 30\.00 \(6140\)/);
      const u1 = await f.db.kysely.selectFrom('sales_invoices').selectAll().where('invoice_no', '=', 'U-1').executeTakeFirstOrThrow();
      assert.equal(u1.transferred, 1);
      assert.equal((await f.entities<{ DocNumber?: string }>('Invoice')).filter((i) => i.DocNumber === 'U-1').length, 1);
    });

    void it('one run per company: a second start is told who runs it; the service streams progress and done', async () => {
      const service = new ExportService({ db: f.db, config: f.config, logger: f.logger });
      await f.control('faults', { rules: [{ path: '/query', delayMs: 100, times: 3 }] });
      const { runId } = await service.start(ids.LCK ?? 0, 'ann@example.com');
      await assert.rejects(run('LCK'), (e: unknown) => {
        assert.ok(e instanceof ExportAlreadyRunningError);
        assert.match(e.message, /^An export for LCK is already running \(started \d{4}-\d\d-\d\dT[\d:.]+Z by ann@example\.com\)/);
        return true;
      });
      await assert.rejects(service.start(ids.LCK ?? 0, 'bob@example.com'), ExportAlreadyRunningError);
      const events: ExportEvent[] = [];
      const done = new Promise<ExportSummary>((resolve) => {
        const unsubscribe = service.subscribe(runId, (e) => {
          events.push(e);
          if (e.type === 'done') resolve(e.summary);
        });
        assert.ok(unsubscribe);
      });
      const summary = await done;
      assert.equal(summary.runId, runId);
      assert.equal(summary.status, 'succeeded');
      assert.ok(events.some((e) => e.type === 'progress' && e.progress.phase === 'invoices'));
      await service.close();
      // Once finished, the lease is free again.
      assert.equal((await run('LCK')).status, 'succeeded');
    });
  });
}

async function accessToken(f: ExportFixture, companyId: number): Promise<string> {
  const { CompanyTokenSource } = await import('../../src/qbo/index.ts');
  return new CompanyTokenSource({ connections: connectionStore(f.db), config: f.config, companyId, logger: f.logger }).accessToken();
}
