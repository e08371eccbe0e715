import { runNaiveExport, type NaiveRunResult } from '../naive-client.ts';
import { join } from 'node:path';
import { distDir, distIsCurrent } from '../../scripts/dist.mjs';
import { cliNodeFlags, spawnNode } from './child.ts';
import { scratchSqlite } from '../../test/support/scratch-databases.ts';
import { checkExactlyOnce, compactReport, summarizeExactlyOnce } from './exactly-once.ts';
import type { WorkerReport } from './export-worker.ts';
import { seedExportFixture } from './fixtures.ts';
import { connectCompany, startQboSession, type QboSession } from './qbo-session.ts';
import type { Db } from '../../src/store/db.ts';

/**
 * The most invoices QBO's throttles let one realm create in a minute: 40 batch calls of 30 invoices, plus the
 * requests left of the 500 a minute (500 − 40 = 460) as single creates of one invoice each.
 */
export const QBO_LIMITS = { requestsPerMinute: 500, batchCallsPerMinute: 40, itemsPerBatch: 30 } as const;
export const CEILING_PER_MINUTE =
  QBO_LIMITS.batchCallsPerMinute * QBO_LIMITS.itemsPerBatch + (QBO_LIMITS.requestsPerMinute - QBO_LIMITS.batchCallsPerMinute);
export const CEILING_FORMULA = '40 batch calls × 30 invoices + (500 − 40) single requests = 1,660 invoices/min';
export const LATENCY_MS = 150;

/**
 * The worker as deployed: compiled (dist/, `npm run build`; `npm run bench` builds first) and with the CLI's
 * Node flags. From the sources through tsx when there is no current build (tsx alone adds about 40 MB).
 */
function workerCommand(): string[] {
  if (distIsCurrent()) return [...cliNodeFlags, join(distDir, 'bench/lib/export-worker.js')];
  process.stderr.write('bench: dist/ is missing or older than the sources; the export worker runs through tsx (run `npm run build`)\n');
  return [...cliNodeFlags, '--import', 'tsx', new URL('./export-worker.ts', import.meta.url).pathname];
}

export interface ExporterRun {
  invoices: number;
  created: number;
  status: string;
  wallSeconds: number;
  invoicePhaseSeconds: number;
  /** Whole minutes of the invoice phase the rate is measured over (0: the phase was shorter than a minute). */
  measuredMinutes: number;
  /** Invoices done in those whole minutes ÷ minutes; over the whole phase when it lasted under a minute. */
  invoicesPerMinute: number;
  cpuMs: number;
  cpuMsPerInvoice: number;
  maxRssMb: number;
  /** RSS of the worker before the export started (Node, tsx and the modules loaded). */
  rssBeforeMb: number;
  check: ReturnType<typeof compactReport>;
  checkSummary: string;
}

interface Summary {
  status: string;
  invoices: { created: number; alreadyInQbo: number; failed: number };
  errors: unknown[];
}

/** Seeds `invoices` clean invoices, connects, runs the exporter in a child process and checks QBO afterwards. */
/**
 * QBO's windows slide: any 60 s may hold at most the ceiling, but a run that starts with empty windows can
 * burst a whole minute's quota at once. So the rate is counted over whole minutes from the start of the
 * invoice phase (there the throttles bound it by the ceiling), while the exporter still has work queued.
 */
function rateOverWholeMinutes(report: WorkerReport, created: number, maxMinutes: number): { minutes: number; perMinute: number } {
  const start = report.invoicePhaseStartMs ?? 0;
  const phaseMs = report.wallMs - start;
  const minutes = Math.min(maxMinutes, Math.floor(phaseMs / 60_000));
  if (minutes === 0) return { minutes: 0, perMinute: (created / phaseMs) * 60_000 };
  const at = start + minutes * 60_000;
  const points: Array<[number, number]> = [[start, 0], ...report.invoiceTimeline, [report.wallMs, created]];
  let done = 0;
  for (let i = 1; i < points.length; i++) {
    const [t0, d0] = points[i - 1] ?? [0, 0];
    const [t1, d1] = points[i] ?? [0, 0];
    if (t1 < at) continue;
    done = t1 === t0 ? d1 : d0 + ((d1 - d0) * (at - t0)) / (t1 - t0);
    break;
  }
  return { minutes, perMinute: done / minutes };
}

/** What a measured export runs against: a scratch database seeded with company BENCH, connected to its emulator. */
export interface SeededExport {
  db: Db;
  session: QboSession;
  companyId: number;
  realmId: string;
}

/** Seeds `invoices` clean invoices of company BENCH, connects it to a fresh emulator, runs `body`, cleans up. */
export async function withSeededExport<T>(label: string, invoices: number, emulator: { limits: boolean; latencyMs: number }, body: (s: SeededExport) => Promise<T>): Promise<T> {
  const database = await scratchSqlite(label);
  const session = await startQboSession(database.url, emulator);
  try {
    // Few customers and products: the measured work is the invoices (the customer/product phases take seconds).
    const fixture = await seedExportFixture(database.db, { companyCode: 'BENCH', customers: 50, products: 20, invoices });
    const realmId = await connectCompany(database.db, session, fixture.companyId);
    return await body({ db: database.db, session, companyId: fixture.companyId, realmId });
  } finally {
    await session.close();
    await database.destroy();
  }
}

function exportOnce(label: string, invoices: number, emulator: { limits: boolean; latencyMs: number }, maxMinutes = 0, workerArgs: string[] = []): Promise<ExporterRun> {
  return withSeededExport(label, invoices, emulator, async ({ db, session, companyId, realmId }) => {
    // BENCH_CPU_PROF_DIR=DIR writes a V8 CPU profile of the export worker there (open it in Chrome DevTools).
    const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
    const child = spawnNode([...profile, ...workerCommand(), 'BENCH', ...workerArgs], session.env);
    const result = await child.done;
    const line = result.stdout.trim().split('\n').pop() ?? '';
    if (result.code !== 0 || !line.startsWith('{')) {
      throw new Error(`${label}: the export worker exited ${result.code ?? result.signal}: ${result.stderr.slice(-2000)}`);
    }
    const report = JSON.parse(line) as WorkerReport;
    const summary = report.summary as Summary;
    const phaseSeconds = (report.wallMs - (report.invoicePhaseStartMs ?? 0)) / 1000;
    const cpuMs = report.cpuUserMs + report.cpuSystemMs;
    const rate = rateOverWholeMinutes(report, summary.invoices.created, maxMinutes);
    const check = await checkExactlyOnce(db, companyId, session.emulator.url, realmId);
    return {
      invoices,
      created: summary.invoices.created,
      status: summary.status,
      wallSeconds: report.wallMs / 1000,
      invoicePhaseSeconds: phaseSeconds,
      measuredMinutes: rate.minutes,
      invoicesPerMinute: rate.perMinute,
      cpuMs,
      cpuMsPerInvoice: cpuMs / Math.max(1, summary.invoices.created),
      maxRssMb: Math.max(report.maxRssKb, report.vmHwmKb ?? 0) / 1024,
      rssBeforeMb: report.rssBeforeKb / 1024,
      check: compactReport(check),
      checkSummary: summarizeExactlyOnce(check),
    };
  });
}

/** The exporter with QBO's throttles on and 150 ms per answer: the figure against the ceiling. */
export function measureThrottledExport(invoices: number, minutes: number): Promise<ExporterRun> {
  return exportOnce('bench-throttled', invoices, { limits: true, latencyMs: LATENCY_MS }, minutes);
}

/**
 * Limits off, no latency, and our client's own limiter off too: as fast as the exporter goes, to see its CPU
 * and memory over a big run (at QBO's ceiling 100,000 invoices take about an hour).
 */
export function measureBigExport(invoices: number): Promise<ExporterRun> {
  return exportOnce('bench-big', invoices, { limits: false, latencyMs: 0 }, 0, ['--no-client-limiter']);
}

/** The naive client against its own emulator with the same settings, so neither eats the other's quota. */
export async function measureNaive(invoices: number): Promise<NaiveRunResult> {
  const database = await scratchSqlite('bench-naive');
  const session = await startQboSession(database.url, { limits: true, latencyMs: LATENCY_MS });
  try {
    const fixture = await seedExportFixture(database.db, { companyCode: 'NAIVE', customers: 50, products: 20, invoices });
    const realmId = await connectCompany(database.db, session, fixture.companyId);
    return await runNaiveExport({ db: database.db, config: session.config, logger: session.logger, companyId: fixture.companyId, realmId, maxInvoices: invoices });
  } finally {
    await session.close();
    await database.destroy();
  }
}
