import { parseJsonOutput, spawnCli } from '../lib/child.ts';
import { exactlyOnceHolds, type ExactlyOnceReport } from '../lib/exactly-once.ts';
import { SeededRandom } from '../lib/random.ts';
import { FaultInjector, type FaultKind, type InjectorStats } from './fault-injector.ts';
import { startSoakWorld } from './world.ts';

/**
 * About 10% of the QBO calls fail while `./bin/qbo-export export` runs. A run whose retries ran out reports
 * failed records (exit 1); it is run again — as a user would — until it reports all exported. QBO must end
 * with every invoice exactly once.
 */
export interface FaultSoakOptions {
  invoices: number;
  rate: number;
  kinds: readonly FaultKind[];
  seed: number;
  latencyMs: number;
  maxRuns: number;
  /** Against QuickBooks at its harshest (world.ts HARSH); add 'commit-delay' to `kinds` for late-applied writes. */
  harsh?: boolean;
}

export interface FaultSoakResult {
  harsh: boolean;
  invoices: number;
  runs: number;
  exitCodes: Array<number | null>;
  faults: InjectorStats;
  injectedShare: number;
  seconds: number;
  check: ExactlyOnceReport;
  passed: boolean;
}

export async function runFaultSoak(opts: FaultSoakOptions): Promise<FaultSoakResult> {
  const started = Date.now();
  const world = await startSoakWorld(opts.harsh ? 'soak-faults-harsh' : 'soak-faults', { invoices: opts.invoices, limits: false, latencyMs: opts.latencyMs, seed: opts.seed, harsh: opts.harsh ?? false });
  try {
    const injector = new FaultInjector(world.session, new SeededRandom(opts.seed), opts.rate, opts.kinds);
    injector.start();
    const exitCodes: Array<number | null> = [];
    let status: string | null = null;
    let faults: InjectorStats;
    try {
      while (exitCodes.length < opts.maxRuns) {
        const result = await spawnCli(['export', '--company', world.companyCode, '--json'], world.env).done;
        exitCodes.push(result.code);
        status = parseJsonOutput<{ status?: string }>(result.stdout)?.status ?? null;
        if (result.code === 0) break;
      }
    } finally {
      faults = await injector.stop();
    }
    const check = await world.check();
    return {
      harsh: opts.harsh ?? false,
      invoices: opts.invoices,
      runs: exitCodes.length,
      exitCodes,
      faults,
      injectedShare: faults.requests === 0 ? 0 : faults.injected / faults.requests,
      seconds: (Date.now() - started) / 1000,
      check,
      passed: exitCodes[exitCodes.length - 1] === 0 && status === 'succeeded' && exactlyOnceHolds(check),
    };
  } finally {
    await world.close();
  }
}
