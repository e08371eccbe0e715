import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { Config } from '../../src/config/index.ts';
import { runExport } from '../../src/export/index.ts';
import { startBackground, tick, type RunningBackground } from '../../src/jobs/index.ts';
import { qboClientForCompany } from '../../src/qbo/index.ts';
import { SqlConnectionStore } from '../../src/store/connections/store.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { listInvoicesWithState } from '../../src/sync/index.ts';
import { dialects } from '../support/databases.ts';
import { createExportFixture, invoice, sampleDocument, type ExportFixture } from '../support/export-fixture.ts';

/**
 * Two app instances on one PostgreSQL database, each with its own connection pool and pg-boss worker: the
 * once-a-minute tick runs on both (each instance's cron, or a retried job), and still each sweep and each
 * scheduled export of that minute happens once. What ran is read from each instance's own log lines.
 */
const postgres = dialects.includes('postgres');
if (!postgres) console.log('# skipping two instances on PostgreSQL: PostgreSQL unreachable');

/** A midnight (UTC): due for a daily sweep (every 1,440 minutes) and for the schedule "0 0 * * *". */
const MIDNIGHT = new Date(Date.UTC(2026, 10, 30, 0, 0, 0));

interface Instance {
  db: Db;
  background: RunningBackground;
  lines: string[];
  deps: Parameters<typeof tick>[0];
}

void describe('two instances on PostgreSQL share the background work', { skip: !postgres }, () => {
  let fx: ExportFixture;
  let companyId: number;
  const instances: Instance[] = [];

  async function startInstance(config: Config): Promise<Instance> {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => { lines.push(chunk.toString()); done(); } }));
    const db = openDatabase(fx.databaseUrl);
    const background = await startBackground({ db, config, logger }, { pollingIntervalSeconds: 0.5 });
    return { db, background, lines, deps: { db, config, logger, engine: background.engine } };
  }

  before(async () => {
    fx = await createExportFixture('postgres');
    const doc = sampleDocument('ACME', { exportSchedule: '0 0 * * *', timeZone: 'UTC' });
    doc.invoices = [
      invoice('ACME', 'INV-1', 'C-100', [{ productNo: 'WIDGET-1', qty: '2', unitPrice: '12.50' }]),
      invoice('ACME', 'INV-2', 'C-101', [{ productNo: 'WIDGET-1', qty: '1', unitPrice: '12.50' }]),
    ];
    await fx.load(doc);
    await fx.connect('ACME');
    companyId = await fx.companyId('ACME');
    const summary = await runExport({ db: fx.db, config: fx.config, logger: fx.logger, companyId, startedBy: 'test', dryRun: false });
    assert.equal(summary.invoices.created, 2);
    // INV-1 is paid in QuickBooks; no webhook is configured, so only a sweep can bring it back.
    const qbo = await qboClientForCompany({ connections: SqlConnectionStore.of(fx.db), config: fx.config, companyId, logger: fx.logger });
    const inv1 = (await listInvoicesWithState(fx.db.kysely, companyId)).find((r) => r.invoiceNo === 'INV-1');
    const customer = (await qbo.read('Invoice', inv1?.qboInvoiceId ?? '')).CustomerRef?.value ?? '';
    await qbo.create('Payment', { CustomerRef: { value: customer }, TotalAmt: '25.00', Line: [{ Amount: '25.00', LinkedTxn: [{ TxnId: inv1?.qboInvoiceId ?? '', TxnType: 'Invoice' }] }] }, { requestId: 'two-instances-pay' });
    // Sweeps once a day, so the real per-minute tick of the engines adds none during the test (unless run at midnight).
    const config: Config = { ...fx.config, sync: { ...fx.config.sync, sweepMinutes: 1440 } };
    instances.push(await startInstance(config), await startInstance(config));
  });

  after(async () => {
    for (const i of instances) {
      await i.background.stop();
      await i.db.close();
    }
    await fx?.close();
  });

  const logged = (message: string): number => instances.flatMap((i) => i.lines).filter((l) => (JSON.parse(l) as { msg?: string }).msg === message).length;

  async function until(check: () => Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 150; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`timed out waiting for ${what}`);
  }

  void it('the same minute ticked on both instances at once runs one sweep and one scheduled export', { timeout: 90_000 }, async () => {
    await Promise.all(instances.map((i) => tick(i.deps, MIDNIGHT)));
    // A second tick of the same minute (a retried tick job) adds nothing either.
    await Promise.all(instances.map((i) => tick(i.deps, MIDNIGHT)));
    await until(async () => (await listInvoicesWithState(fx.db.kysely, companyId)).find((r) => r.invoiceNo === 'INV-1')?.qboStatus === 'paid', 'INV-1 paid by the sweep');
    await until(async () => logged('scheduled export done') >= 1, 'the scheduled export');
    // Give a duplicate job every chance to be fetched and run by either instance.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(logged('QuickBooks sweep done'), 1, 'one sweep for the minute, on one of the instances');
    assert.equal(logged('scheduled export done'), 1, 'one scheduled export for the minute');
    const runs = await fx.db.kysely.selectFrom('export_runs').select(['id', 'started_by']).where('company_id', '=', companyId).execute();
    assert.deepEqual(runs.map((r) => r.started_by).sort(), ['schedule', 'test']);
  });
});
