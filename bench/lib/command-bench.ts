import { spawnCli } from './child.ts';
import { checkExactlyOnce, exactlyOnceHolds, summarizeExactlyOnce } from './exactly-once.ts';
import { CEILING_PER_MINUTE, LATENCY_MS, withSeededExport } from './exporter-bench.ts';

/**
 * Issue 13, point 4: the whole `qbo-export export --company C --json` command, from spawn to exit (process start,
 * every phase, the in-doubt checks, the Process Log), against the emulator with QBO's throttles on and 150 ms per
 * answer. Its rate is the invoices created over the command's wall time, against the ceiling.
 */
export interface CommandRun {
  invoices: number;
  created: number;
  wallSeconds: number;
  invoicesPerMinute: number;
  ceilingPct: number;
  exactlyOnce: boolean;
  checkSummary: string;
}

export function measureExportCommand(invoices: number): Promise<CommandRun> {
  return withSeededExport('bench-command', invoices, { limits: true, latencyMs: LATENCY_MS }, async ({ db, session, companyId, realmId }) => {
    const started = performance.now();
    const result = await spawnCli(['export', '--company', 'BENCH', '--json'], session.env).done;
    const wallSeconds = (performance.now() - started) / 1000;
    if (result.code !== 0) throw new Error(`export exited ${result.code ?? result.signal}: ${result.stderr.slice(-1000)}`);
    const summary = JSON.parse(result.stdout) as { invoices: { created: number } };
    const check = await checkExactlyOnce(db, companyId, session.emulator.url, realmId);
    const perMinute = (summary.invoices.created / wallSeconds) * 60;
    return {
      invoices, created: summary.invoices.created, wallSeconds, invoicesPerMinute: perMinute,
      ceilingPct: (100 * perMinute) / CEILING_PER_MINUTE, exactlyOnce: exactlyOnceHolds(check), checkSummary: summarizeExactlyOnce(check),
    };
  });
}
