import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWebApp } from '../src/cli/commands/serve.ts';
import { runExport } from '../src/export/index.ts';
import { CompanyTokenSource, createQboClient, SlidingWindowLimiter, type QboClient } from '../src/qbo/index.ts';
import { SqlConnectionStore } from '../src/store/connections/store.ts';
import { openDatabase, type Db } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { listInvoicesWithState, syncCompany } from '../src/sync/index.ts';
import { sleep } from './lib/child.ts';
import { seedExportFixture } from './lib/fixtures.ts';
import { connectCompany, emulatorControl, startQboSession } from './lib/qbo-session.ts';

/**
 * Issue 14's figures: QuickBooks payments → the ERP invoice's state. `payments` invoices are exported, then paid
 * one payment each through the emulator's Accounting API (as QuickBooks users would): the latency is from the
 * payment's create answer to the moment the app stored "paid" (its synced_at), with the app (`serve`, its job
 * engine) receiving the emulator's signed webhooks. Then as many more are paid with every delivery dropped, and
 * one sweep (change data capture) must bring all of them in alone.
 */
export interface FlowBackFigures {
  payments: number;
  webhookP50Ms: number;
  webhookP95Ms: number;
  webhookArrivedPct: number;
  sweepChanged: number;
  sweepMs: number;
  sweepArrivedPct: number;
}

const VERIFIER = 'bench-flow-back-verifier';
const say = (what: string) => process.stderr.write(`bench: flowback: ${what}\n`);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function payAll(qbo: QboClient, invoiceIds: readonly string[], tag: string): Promise<Map<string, number>> {
  const paidAt = new Map<string, number>();
  let next = 0;
  // A few QuickBooks users at once, as a finance team recording a morning's receipts.
  const worker = async () => {
    while (next < invoiceIds.length) {
      const id = invoiceIds[next++] as string;
      const inv = await qbo.read('Invoice', id);
      await qbo.create('Payment', {
        CustomerRef: { value: inv.CustomerRef?.value ?? '' }, TotalAmt: String(inv.TotalAmt),
        Line: [{ Amount: String(inv.TotalAmt), LinkedTxn: [{ TxnId: id, TxnType: 'Invoice' }] }],
      }, { requestId: `${tag}-${id}` });
      paidAt.set(id, Date.now());
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return paidAt;
}

export async function measureFlowBack(payments: number): Promise<FlowBackFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'qbo-export-bench-flow-'));
  const url = `sqlite:${join(dir, 'flow.db')}`;
  const db: Db = openDatabase(url);
  await migrateToLatest(db);
  const session = await startQboSession(url, { limits: false, webhookBackoffScale: 0.001 });
  const app = await launchWebApp({ env: { ...session.env, QBO_WEBHOOK_VERIFIER: VERIFIER }, embedEmulator: false, port: 0, host: '127.0.0.1' });
  try {
    const { companyId } = await seedExportFixture(db, { companyCode: 'FLOW', customers: 50, products: 20, invoices: 2 * payments });
    say('seeded');
    const realmId = await connectCompany(db, session, companyId);
    const summary = await runExport({ db, config: session.config, logger: session.logger, companyId, startedBy: 'bench', dryRun: false });
    if (summary.invoices.created !== 2 * payments) throw new Error(`exported ${summary.invoices.created} of ${2 * payments} invoices`);
    say('exported');
    // The creates' own notifications must not be counted: webhooks start after the export.
    await emulatorControl(session, 'POST', `realms/${realmId}/webhooks`, { url: `${app.url}/qbo/webhooks`, verifier: VERIFIER });
    // The payments are QuickBooks users' work, not this app's: they do not count against the app's request budget
    // (the app's own reads of what changed do, through its process-wide limiter).
    const qbo = createQboClient({
      apiBase: session.config.qbo.apiBase, realmId, logger: session.logger,
      tokens: new CompanyTokenSource({ connections: SqlConnectionStore.of(db), config: session.config, companyId, logger: session.logger }),
      limiter: new SlidingWindowLimiter({ requests: [], batches: [] }),
    });
    const rows = await listInvoicesWithState(db.kysely, companyId);
    const ids = rows.map((r) => r.qboInvoiceId).filter((id): id is string => id !== null);
    const [byWebhook, bySweep] = [ids.slice(0, payments), ids.slice(payments, 2 * payments)];

    const paidAt = await payAll(qbo, byWebhook, 'hook');
    say('paid (webhooks on)');
    const deadline = Date.now() + 120_000;
    let states = new Map<string, { status: string | null; syncedAt: string | null }>();
    while (Date.now() < deadline) {
      states = new Map((await listInvoicesWithState(db.kysely, companyId)).map((r) => [r.qboInvoiceId ?? '', { status: r.qboStatus, syncedAt: r.syncedAt }]));
      if (byWebhook.every((id) => states.get(id)?.status === 'paid')) break;
      await sleep(250);
    }
    const latencies = byWebhook
      .filter((id) => states.get(id)?.status === 'paid')
      .map((id) => Math.max(0, Date.parse(states.get(id)?.syncedAt ?? '') - (paidAt.get(id) ?? 0)))
      .sort((a, b) => a - b);

    await emulatorControl(session, 'POST', 'webhooks/faults', { drop: 'all' });
    await payAll(qbo, bySweep, 'dropped');
    say('paid (webhooks dropped)');
    const t0 = Date.now();
    const sweep = await syncCompany({ db, config: session.config, logger: session.logger }, { id: companyId }, { wait: true });
    const sweepMs = Date.now() - t0;
    const after = new Map((await listInvoicesWithState(db.kysely, companyId)).map((r) => [r.qboInvoiceId ?? '', r.qboStatus]));
    return {
      payments,
      webhookP50Ms: percentile(latencies, 50),
      webhookP95Ms: percentile(latencies, 95),
      webhookArrivedPct: (100 * latencies.length) / payments,
      sweepChanged: sweep.changes,
      sweepMs,
      sweepArrivedPct: (100 * bySweep.filter((id) => after.get(id) === 'paid').length) / payments,
    };
  } finally {
    await app.close();
    await session.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
