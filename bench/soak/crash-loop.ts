import { parseJsonOutput, sleep, spawnCli, type ChildResult } from '../lib/child.ts';
import { exactlyOnceHolds, type ExactlyOnceReport } from '../lib/exactly-once.ts';
import { SeededRandom } from '../lib/random.ts';
import { emulatorControl } from '../lib/qbo-session.ts';
import { HARSH_COMMIT_DELAY_MS, startSoakWorld, transferredCount } from './world.ts';

/**
 * Kill -9 at random instants: `./bin/qbo-export export` is started, SIGKILLed after a random delay, started
 * again, … at least `kills` times, then left to finish. QBO must end up with every invoice exactly once and
 * the ERP with every invoice marked with its QBO Id.
 */
export interface CrashLoopOptions {
  invoices: number;
  kills: number;
  seed: number;
  latencyMs: number;
  /** Against QuickBooks at its harshest (world.ts HARSH), with writes applied after their connection dropped. */
  harsh?: boolean;
}

export interface CrashLoopResult {
  harsh: boolean;
  invoices: number;
  kills: number;
  /** Invoices transferred when each kill landed: shows the kills spread over the run. */
  transferredAtKills: number[];
  /** When each kill landed, ms after the process was started. */
  killDelaysMs: number[];
  runsAfterLastKill: number;
  /** Exit codes of the runs after the last kill (0 = all exported; 2 = could not run, e.g. still locked). */
  finalExitCodes: Array<number | null>;
  /** stderr tail of the first unsuccessful final run, to see why. */
  firstFinalFailure: string | null;
  lastExit: { code: number | null; status: string | null };
  seconds: number;
  check: ExactlyOnceReport;
  passed: boolean;
}

const MAX_FINAL_RUNS = 5;

export async function runCrashLoop(opts: CrashLoopOptions): Promise<CrashLoopResult> {
  const started = Date.now();
  const random = new SeededRandom(opts.seed);
  const world = await startSoakWorld(opts.harsh ? 'soak-crash-harsh' : 'soak-crash', { invoices: opts.invoices, limits: false, latencyMs: opts.latencyMs, harsh: opts.harsh ?? false });
  try {
    if (opts.harsh) {
      // Some writes are applied only HARSH_COMMIT_DELAY_MS after their connection dropped: later than the look-up.
      const path = (p: string, times: number) => ({ method: 'POST', path: p, commitDelayMs: HARSH_COMMIT_DELAY_MS, times });
      await emulatorControl(world.session, 'POST', 'faults', { rules: [path('/batch', 3), path('/invoice', 5), path('/customer', 1), path('/item', 1)] });
    }
    const args = ['export', '--company', world.companyCode, '--json'];
    const transferredAtKills: number[] = [];
    const killDelaysMs: number[] = [];
    // Each kill lands at a uniformly random instant of what the attempt is expected to take: start-up, the
    // customer and product phases, and a share of the remaining invoices — so kills hit booting processes,
    // lookups, creates in flight (QBO committed, the ERP not yet marked) and commits alike. The pace is learnt
    // by watching the ERP while attempts run. So that the work never runs out before the last kill, an
    // attempt is also killed as soon as it has committed its share.
    let bootMs: number | null = null;
    let msPerInvoice = 20;
    // How long an attempt with nothing left to export lives (boot, reconcile, close): learnt when one finishes
    // before its kill, so that the next one is killed inside that span. Bounded, so a loop always ends.
    let idleRunMs: number | null = null;
    let idleExits = 0;
    while (transferredAtKills.length < opts.kills) {
      const before = await transferredCount(world);
      const left = opts.invoices - before;
      const killsLeft = opts.kills - transferredAtKills.length;
      const share = Math.max(1, Math.floor(left / (killsLeft + 1)));
      const spawnedAt = Date.now();
      const child = spawnCli(args, world.env);
      let exited = false;
      void child.done.then(() => (exited = true));
      // With every invoice already in, an attempt still boots, reconciles and closes its run: kill it there.
      const span = bootMs === null ? null : left === 0 ? 0.8 * (idleRunMs ?? bootMs) : bootMs + msPerInvoice * 2 * share;
      const killAt = span === null ? Number.POSITIVE_INFINITY : random.next() * span;
      let firstCommitMs: number | null = null;
      for (;;) {
        const elapsed = Date.now() - spawnedAt;
        if (exited || elapsed >= killAt) break;
        const now = await transferredCount(world);
        if (now > before) {
          firstCommitMs ??= elapsed;
          if (elapsed > firstCommitMs) msPerInvoice = Math.max(1, (elapsed - firstCommitMs) / (now - before));
          if (now - before >= share) break;
        }
        await sleep(Math.min(20, Math.max(0, killAt - elapsed)));
      }
      if (firstCommitMs !== null) bootMs = Math.min(bootMs ?? firstCommitMs, firstCommitMs);
      if (exited) {
        if (left === 0) {
          idleRunMs = Date.now() - spawnedAt;
          if (++idleExits > 3 * opts.kills) break;
        }
        continue;
      }
      child.process.kill('SIGKILL');
      await child.done;
      transferredAtKills.push(await transferredCount(world));
      killDelaysMs.push(Date.now() - spawnedAt);
    }
    let last: ChildResult | undefined;
    const finalExitCodes: Array<number | null> = [];
    let firstFinalFailure: string | null = null;
    do {
      last = await spawnCli(args, world.env).done;
      finalExitCodes.push(last.code);
      if (last.code !== 0) firstFinalFailure ??= `${last.stdout.slice(-1000)}\n${last.stderr.slice(-1500)}`;
    } while (last.code !== 0 && finalExitCodes.length < MAX_FINAL_RUNS);
    const summary = parseJsonOutput<{ status?: string }>(last.stdout);
    const check = await world.check();
    return {
      harsh: opts.harsh ?? false,
      invoices: opts.invoices,
      kills: transferredAtKills.length,
      transferredAtKills,
      killDelaysMs,
      runsAfterLastKill: finalExitCodes.length,
      finalExitCodes,
      firstFinalFailure,
      lastExit: { code: last.code, status: summary?.status ?? null },
      seconds: (Date.now() - started) / 1000,
      check,
      passed: last.code === 0 && transferredAtKills.length >= opts.kills && exactlyOnceHolds(check),
    };
  } finally {
    await world.close();
  }
}
