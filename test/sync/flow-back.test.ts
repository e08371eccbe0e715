import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { launchWebApp, type RunningWebApp } from '../../src/cli/commands/serve.ts';
import { runExport } from '../../src/export/index.ts';
import { SqlConnectionStore } from '../../src/store/connections/store.ts';
import { qboClientForCompany, type QboClient } from '../../src/qbo/index.ts';
import { listInvoicesWithState, syncCompany, type InvoiceWithQboState } from '../../src/sync/index.ts';
import { dialects } from '../support/databases.ts';
import { createExportFixture, invoice, sampleDocument, type ExportFixture } from '../support/export-fixture.ts';

/**
 * QuickBooks back to the ERP, end to end: the app (`serve`, with its job engine) and the emulator over HTTP. A
 * QuickBooks user pays, part-pays, voids and deletes exported invoices through the emulator's API; the states come
 * back by webhook; with every delivery dropped, the sweep alone brings them; a forged delivery is refused.
 */
const VERIFIER = 'flow-back-verifier-token';

for (const dialect of dialects) {
  void describe(`flow back from QuickBooks [${dialect}]`, () => {
    let fx: ExportFixture;
    let app: RunningWebApp;
    let qbo: QboClient;
    let companyId: number;
    let requestNo = 0;

    before(async () => {
      fx = await createExportFixture(dialect, { webhookBackoffScale: 0.0001 });
      const doc = sampleDocument('ACME');
      doc.invoices = [
        invoice('ACME', 'INV-1', 'C-100', [{ productNo: 'WIDGET-1', qty: '3', unitPrice: '12.50' }]),
        invoice('ACME', 'INV-2', 'C-100', [{ productNo: 'WIDGET-1', qty: '4', unitPrice: '10.00' }]),
        invoice('ACME', 'INV-3', 'C-101', [{ productNo: 'SVC-INSTALL', qty: '1', unitPrice: '80.00' }]),
        invoice('ACME', 'INV-4', 'C-102', [{ productNo: 'WIDGET-1', qty: '1', unitPrice: '12.50' }]),
        invoice('ACME', 'INV-5', 'C-102', [{ productNo: 'WIDGET-1', qty: '2', unitPrice: '12.50' }]),
      ];
      await fx.load(doc);
      await fx.connect('ACME');
      companyId = await fx.companyId('ACME');
      const summary = await runExport({ db: fx.db, config: fx.config, logger: fx.logger, companyId, startedBy: 'test', dryRun: false });
      assert.equal(summary.invoices.created, 5);
      // The app's own URL is its public one here (the fixture's PUBLIC_URL points nowhere).
      const { PUBLIC_URL: _unused, ...env } = fx.env;
      app = await launchWebApp({ env: { ...env, QBO_WEBHOOK_VERIFIER: VERIFIER }, embedEmulator: false, port: 0, host: '127.0.0.1' });
      await fx.control(`realms/${fx.realmId}/webhooks`, { url: `${app.url}/qbo/webhooks`, verifier: VERIFIER });
      qbo = await qboClientForCompany({ connections: SqlConnectionStore.of(fx.db), config: fx.config, companyId, logger: fx.logger });
    });

    after(async () => {
      await app?.close();
      await fx?.close();
    });

    const states = async (): Promise<Map<string, InvoiceWithQboState>> =>
      new Map((await listInvoicesWithState(fx.db.kysely, companyId)).map((r) => [r.invoiceNo, r]));
    const qboId = async (no: string): Promise<string> => (await states()).get(no)?.qboInvoiceId ?? assert.fail(`${no} has no QBO id`);
    async function until(check: (s: Map<string, InvoiceWithQboState>) => boolean, what: string): Promise<Map<string, InvoiceWithQboState>> {
      for (let i = 0; i < 200; i++) {
        const s = await states();
        if (check(s)) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`timed out waiting for ${what}: ${JSON.stringify([...(await states()).values()].map((r) => [r.invoiceNo, r.qboStatus, r.qboBalance]))}`);
    }
    // What a QuickBooks user does, through the emulator's Accounting API.
    const pay = async (customerId: string, total: string, lines: Array<[string, string]>) =>
      qbo.create('Payment', { CustomerRef: { value: customerId }, TotalAmt: total, Line: lines.map(([id, amount]) => ({ Amount: amount, LinkedTxn: [{ TxnId: id, TxnType: 'Invoice' }] })) }, { requestId: `pay-${dialect}-${++requestNo}` });
    async function voidOrDelete(no: string, operation: 'void' | 'delete'): Promise<void> {
      const current = await qbo.read('Invoice', await qboId(no));
      const item = operation === 'void'
        ? { bId: 'v', operation: 'update' as const, entity: 'Invoice' as const, body: { Id: current.Id, SyncToken: current.SyncToken, sparse: true }, optionsData: 'void' }
        : { bId: 'd', operation: 'delete' as const, entity: 'Invoice' as const, body: { Id: current.Id, SyncToken: current.SyncToken } };
      const [answer] = await qbo.batch([item], { requestId: `${operation}-${dialect}-${++requestNo}` });
      assert.ok(answer && !('error' in answer), JSON.stringify(answer));
    }

    void it('pay, part-pay, void and delete in QuickBooks: the states arrive by webhook', { timeout: 60_000 }, async () => {
      const before = await states();
      assert.ok([...before.values()].every((r) => r.transferred && r.qboStatus === null), 'nothing read back before QuickBooks changes');
      const inv1 = await qbo.read('Invoice', await qboId('INV-1'));
      const customer = inv1.CustomerRef?.value ?? '';
      const payment = await pay(customer, '57.50', [[inv1.Id, '37.50'], [await qboId('INV-2'), '20.00']]);
      await voidOrDelete('INV-3', 'void');
      await voidOrDelete('INV-4', 'delete');
      const s = await until((m) => m.get('INV-1')?.qboStatus === 'paid' && m.get('INV-2')?.qboStatus === 'partially-paid'
        && m.get('INV-3')?.qboStatus === 'voided' && m.get('INV-4')?.qboStatus === 'deleted', 'the webhook states');
      assert.deepEqual(pick(s.get('INV-1')), { qboStatus: 'paid', qboBalance: '0.00', qboTotal: '37.50', lastPaymentDate: payment.TxnDate ?? null });
      assert.deepEqual(pick(s.get('INV-2')), { qboStatus: 'partially-paid', qboBalance: '20.00', qboTotal: '40.00', lastPaymentDate: payment.TxnDate ?? null });
      assert.deepEqual(pick(s.get('INV-3')), { qboStatus: 'voided', qboBalance: '0.00', qboTotal: '0.00', lastPaymentDate: null });
      assert.equal(s.get('INV-4')?.qboStatus, 'deleted');
      assert.equal(s.get('INV-4')?.transferred, true, 'a deleted invoice stays transferred until the user exports it again');
      assert.equal(s.get('INV-5')?.qboStatus, null);
      const inbox = await fx.db.kysely.selectFrom('qbo_webhook_inbox').select(['processed_at']).execute();
      assert.ok(inbox.length >= 3 && inbox.every((r) => r.processed_at !== null), 'every notification stored and processed');
    });

    void it('a forged or unsigned delivery is refused with 401 and stores nothing; the same delivery twice changes nothing', async () => {
      const count = async () => (await fx.db.kysely.selectFrom('qbo_webhook_inbox').select('id').execute()).length;
      const stored = await count();
      const body = JSON.stringify({ eventNotifications: [{ realmId: fx.realmId, dataChangeEvent: { entities: [{ name: 'Invoice', id: await qboId('INV-5'), operation: 'Update', lastUpdated: '2026-11-20T10:00:00-0700' }] } }] });
      const post = (headers: Record<string, string>) => fetch(`${app.url}/qbo/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body });
      assert.equal((await post({ 'intuit-signature': createHmac('sha256', 'not-the-verifier').update(body).digest('base64') })).status, 401);
      assert.equal((await post({})).status, 401);
      assert.equal(await count(), stored);
      const signed = { 'intuit-signature': createHmac('sha256', VERIFIER).update(body).digest('base64') };
      assert.equal((await post(signed)).status, 200);
      assert.equal((await post(signed)).status, 200);
      assert.equal(await count(), stored + 1, 'one row for the same delivery twice');
      await until((m) => m.get('INV-5')?.qboStatus === 'open', 'INV-5 read back as open');
      // A signed delivery of another shape stays unprocessed with its error and holds up no other delivery.
      const odd = JSON.stringify({ eventNotifications: 'not a list' });
      const oddSigned = { 'intuit-signature': createHmac('sha256', VERIFIER).update(odd).digest('base64') };
      assert.equal((await fetch(`${app.url}/qbo/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json', ...oddSigned }, body: odd })).status, 200);
      const next = JSON.stringify({ eventNotifications: [{ realmId: fx.realmId, dataChangeEvent: { entities: [{ name: 'Invoice', id: await qboId('INV-1'), operation: 'Update', lastUpdated: '2026-11-20T10:00:01-0700' }] } }] });
      const nextSigned = { 'intuit-signature': createHmac('sha256', VERIFIER).update(next).digest('base64') };
      assert.equal((await fetch(`${app.url}/qbo/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json', ...nextSigned }, body: next })).status, 200);
      const row = (b: string) => fx.db.kysely.selectFrom('qbo_webhook_inbox').selectAll().where('body', '=', b).executeTakeFirstOrThrow();
      for (let i = 0; i < 100 && (await row(next)).processed_at === null; i++) await new Promise((r) => setTimeout(r, 100));
      assert.notEqual((await row(next)).processed_at, null, 'the delivery after the odd one is processed');
      assert.equal((await row(odd)).processed_at, null);
      assert.ok((await row(odd)).last_error);
    });

    void it('with every webhook dropped, the sweep alone brings the states in', { timeout: 60_000 }, async () => {
      await fx.control('webhooks/faults', { drop: 'all' });
      const inv2 = await qbo.read('Invoice', await qboId('INV-2'));
      await pay(inv2.CustomerRef?.value ?? '', '20.00', [[inv2.Id, '20.00']]);
      const inv5 = await qbo.read('Invoice', await qboId('INV-5'));
      await pay(inv5.CustomerRef?.value ?? '', '5.00', [[inv5.Id, '5.00']]);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal((await states()).get('INV-2')?.qboStatus, 'partially-paid', 'no webhook arrived');
      const result = await syncCompany(app, { code: 'ACME' }, { wait: true });
      assert.equal(result.changes, 2);
      assert.deepEqual(result.qboStatus, { open: 0, 'partially-paid': 1, paid: 2, voided: 1, deleted: 1 });
      const s = await states();
      assert.equal(s.get('INV-2')?.qboStatus, 'paid');
      assert.equal(s.get('INV-5')?.qboBalance, '20.00');
      assert.equal((await syncCompany(app, { code: 'ACME' })).changes, 0, 'a second sweep finds nothing new');
      await fx.control('webhooks/faults', { drop: 0 });
    });

    void it('sync and invoices on the command line, with the JSON contracts', { timeout: 60_000 }, async () => {
      // Asynchronous: the emulator answering the child runs in this process.
      const run = (args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['bin/qbo-export', ...args], { env: { ...process.env, ...fx.env }, encoding: 'utf8' }, (error, stdout, stderr) =>
          resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
      });
      const sync = await run(['sync', '--company', 'ACME', '--json']);
      assert.equal(sync.status, 0, sync.stderr);
      assert.deepEqual(JSON.parse(sync.stdout), { company: 'ACME', changes: 0, qboStatus: { open: 0, 'partially-paid': 1, paid: 2, voided: 1, deleted: 1 } });
      const list = await run(['invoices', '--company', 'ACME', '--qbo-status', 'paid', '--json']);
      assert.equal(list.status, 0, list.stderr);
      const parsed = JSON.parse(list.stdout) as { company: string; invoices: Array<Record<string, unknown>> };
      assert.equal(parsed.company, 'ACME');
      assert.deepEqual(parsed.invoices.map((i) => i.invoiceNo), ['INV-1', 'INV-2']);
      assert.deepEqual(Object.keys(parsed.invoices[0] ?? {}), ['invoiceNo', 'transferred', 'qboInvoiceId', 'qboStatus', 'qboBalance', 'qboTotal', 'lastPaymentDate']);
      const bad = await run(['invoices', '--company', 'ACME', '--qbo-status', 'settled']);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--qbo-status must be one of open, partially-paid, paid, voided, deleted/);
    });
  });
}

function pick(r: InvoiceWithQboState | undefined): Record<string, unknown> {
  return { qboStatus: r?.qboStatus, qboBalance: r?.qboBalance, qboTotal: r?.qboTotal, lastPaymentDate: r?.lastPaymentDate };
}
