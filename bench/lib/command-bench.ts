import { scratchSqlite } from '../../test/support/scratch-databases.ts';
import { spawnCli } from './child.ts';
import { checkExactlyOnce, exactlyOnceHolds, summarizeExactlyOnce } from './exactly-once.ts';
import { CEILING_PER_MINUTE, LATENCY_MS } from './exporter-bench.ts';
import { seedExportFixture } from './fixtures.ts';
import { connectCompany, startQboSession } from './qbo-session.ts';

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

export async function measureExportCommand(invoices: number): Promise<CommandRun> {
  const database = await scratchSqlite('bench-command');
  const session = await startQboSession(database.url, { limits: true, latencyMs: LATENCY_MS });
  try {
    const fixture = await seedExportFixture(database.db, { companyCode: 'BENCH', customers: 50, products: 20, invoices });
    const realmId = await connectCompany(database.db, session, fixture.companyId);
    const started = performance.now();
    const result = await spawnCli(['export', '--company', 'BENCH', '--json'], session.env).done;
    const wallSeconds = (performance.now() - started) / 1000;
    const summary = JSON.parse(result.stdout) as { invoices: { created: number } };
    if (result.code !== 0) throw new Error(`export exited ${result.code ?? result.signal}: ${result.stderr.slice(-1000)}`);
    const check = await checkExactlyOnce(database.db, fixture.companyId, session.emulator.url, realmId);
    const perMinute = (summary.invoices.created / wallSeconds) * 60;
    return {
      invoices, created: summary.invoices.created, wallSeconds, invoicesPerMinute: perMinute,
      ceilingPct: (100 * perMinute) / CEILING_PER_MINUTE, exactlyOnce: exactlyOnceHolds(check), checkSummary: summarizeExactlyOnce(check),
    };
  } finally {
    await session.close();
    await database.destroy();
  }
}
