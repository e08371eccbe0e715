/**
 * Child-process entry for the exporter benchmarks: runs one export of `--company CODE` in this process and
 * prints one JSON line with the summary and what the process spent (CPU, peak RSS). A separate process so
 * that the CPU and memory measured are the exporter's alone, not the harness's or the emulator's.
 * Usage: node --import tsx bench/lib/export-worker.ts CODE   (settings from the environment)
 */
import { readFileSync } from 'node:fs';
import { openContext } from '../../src/cli/context.ts';
import { runExport } from '../../src/export/run-export.ts';
import { sharedRealmLimiter } from '../../src/qbo/index.ts';
import { findCompanyByCode } from '../../src/store/erp/companies.ts';

export interface WorkerReport {
  summary: unknown;
  wallMs: number;
  /** ms from the start of runExport to the first progress event of the invoices phase. */
  invoicePhaseStartMs: number | null;
  /** [ms since the start of runExport, invoices done] at most every 250 ms: throughput over chosen windows. */
  invoiceTimeline: Array<[number, number]>;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Peak resident set of this process, KB (getrusage ru_maxrss). */
  maxRssKb: number;
  /** The kernel's high-water mark of the resident set, KB (Linux only). */
  vmHwmKb: number | null;
  /** Resident set just before runExport (modules loaded, database open): what the run itself adds is on top. */
  rssBeforeKb: number;
}

function vmHwmKb(): number | null {
  try {
    const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Number.parseInt(line.replace(/\D+/g, ''), 10) : null;
  } catch {
    return null;
  }
}

const code = process.argv[2];
if (!code) throw new Error('usage: export-worker.ts COMPANY_CODE [--no-client-limiter]');
if (process.argv.includes('--no-client-limiter')) {
  // The memory/CPU run against an emulator with its throttles off: our client would otherwise still pace
  // itself at QBO's 1,660 invoices a minute (100,000 invoices ≈ an hour). Its limiter is the one piece
  // switched off, and the bench table says so.
  Object.assign(sharedRealmLimiter(), { acquire: async () => () => undefined });
}
const ctx = await openContext(process.env);
try {
  const company = await findCompanyByCode(ctx.db.kysely, code);
  if (!company) throw new Error(`no company ${code}`);
  let invoicePhaseStartMs: number | null = null;
  const invoiceTimeline: Array<[number, number]> = [];
  const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await runExport({
    db: ctx.db, config: ctx.config, logger: ctx.logger, companyId: company.id, startedBy: 'bench', dryRun: false,
    onProgress: (p) => {
      if (p.phase !== 'invoices') return;
      const at = performance.now() - t0;
      invoicePhaseStartMs ??= at;
      const last = invoiceTimeline[invoiceTimeline.length - 1];
      if (!last || at - last[0] >= 250 || p.done === p.total) invoiceTimeline.push([Math.round(at), p.done]);
    },
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const report: WorkerReport = {
    summary, wallMs, invoicePhaseStartMs, invoiceTimeline,
    cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000,
    maxRssKb: process.resourceUsage().maxRSS, vmHwmKb: vmHwmKb(), rssBeforeKb,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await ctx.close();
}
