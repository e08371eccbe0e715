import { parseJsonOutput, sleep, spawnCli } from '../lib/child.ts';
import { exactlyOnceHolds, type ExactlyOnceReport } from '../lib/exactly-once.ts';
import { emulatorControl, type EmulatorStateSummary } from '../lib/qbo-session.ts';
import { startSoakWorld } from './world.ts';

/**
 * Access tokens live an hour. During one long export the emulator's clock is moved past that hour several
 * times, so the token in use dies mid-run; the exporter must refresh and carry on without a failed record.
 */
export interface TokenExpiryOptions {
  invoices: number;
  /** Token refreshes mid-run needed to pass ("several"). */
  advances: number;
  everyMs: number;
  limits: boolean;
  latencyMs: number;
}

export interface TokenExpiryResult {
  invoices: number;
  /** Clock moves past the token's hour that the run then had to live with. */
  advances: number;
  /** Token refreshes the exporter logged ("QuickBooks access token refreshed"). */
  refreshes: number;
  exitCode: number | null;
  status: string | null;
  /** Why the run stopped, when it did (from `export --json`). */
  stoppedBecause: string | null;
  firstErrors: unknown[];
  seconds: number;
  check: ExactlyOnceReport;
  passed: boolean;
}

export const ADVANCE_SECONDS = 3_700;

export async function runTokenExpirySoak(opts: TokenExpiryOptions): Promise<TokenExpiryResult> {
  const started = Date.now();
  const world = await startSoakWorld('soak-tokens', { invoices: opts.invoices, limits: opts.limits, latencyMs: opts.latencyMs });
  try {
    // The refreshes are counted from the exporter's own log (info level), one line per refresh it made.
    let refreshes = 0;
    const child = spawnCli(['export', '--company', world.companyCode, '--json'], { ...world.env, LOG_LEVEL: 'info' }, (line) => {
      if (line.includes('access token refreshed')) refreshes++;
    });
    let exited = false;
    void child.done.then(() => (exited = true));
    // Start moving the clock once the run calls QBO, so each move kills a token the run is using.
    const requests = async () => (await emulatorControl<EmulatorStateSummary>(world.session, 'GET', 'state')).counters.requests;
    while (!exited && (await requests()) === 0) await sleep(20);
    // Keep moving it while the run goes; a move counts once the run has called QBO after it (a token died in use).
    const requestsAtAdvance: number[] = [];
    while (!exited) {
      const refreshesBefore = refreshes;
      await emulatorControl(world.session, 'POST', 'clock', { advanceSeconds: ADVANCE_SECONDS });
      requestsAtAdvance.push(await requests());
      // The next move waits until the run has refreshed for this one: a token dying twice within one call
      // (a refreshed token refused at once) is a revocation, not an expiry, and the client rightly stops there.
      // On a loaded machine a fixed pace alone could move the clock again while the retry is in flight.
      while (!exited && refreshes === refreshesBefore) await sleep(20);
      await sleep(opts.everyMs);
    }
    const result = await child.done;
    const finalRequests = await requests();
    const advances = requestsAtAdvance.filter((n, i) => (requestsAtAdvance[i + 1] ?? finalRequests) > n).length;
    const summary = parseJsonOutput<{ status?: string; stoppedBecause?: string; errors?: unknown[] }>(result.stdout);
    const status = summary?.status ?? null;
    const check = await world.check();
    return {
      invoices: opts.invoices, advances, refreshes, exitCode: result.code, status,
      stoppedBecause: summary?.stoppedBecause ?? (summary ? null : result.stderr.slice(-500)), firstErrors: (summary?.errors ?? []).slice(0, 5),
      seconds: (Date.now() - started) / 1000, check,
      passed: result.code === 0 && status === 'succeeded' && refreshes >= opts.advances && exactlyOnceHolds(check),
    };
  } finally {
    await world.close();
  }
}
