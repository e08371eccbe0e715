import { sleep } from '../lib/child.ts';
import { exactlyOnceHolds, type ExactlyOnceReport } from '../lib/exactly-once.ts';
import { apiCall, provisionApiToken, startServe, type ServeInstance } from '../lib/web-api.ts';
import { startSoakWorld, type SoakWorld } from './world.ts';

/**
 * Two app instances (`qbo-export serve`, separate processes and ports) on one PostgreSQL database; 20 export
 * starts for the same company arrive at once, spread over both. Exactly one run may go at a time, the
 * others must be told a run is going (409), and nothing may be lost.
 */
export interface InstancesOptions {
  invoices: number;
  starts: number;
  latencyMs: number;
}

export interface InstancesResult {
  invoices: number;
  starts: number;
  accepted: number;
  toldRunning: number;
  otherAnswers: Array<{ status: number; body: unknown }>;
  runs: number;
  overlappingRuns: number;
  seconds: number;
  check: ExactlyOnceReport;
  passed: boolean;
}

interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: string;
}

async function runsOf(world: SoakWorld): Promise<RunRow[]> {
  return world.database.db.kysely
    .selectFrom('export_runs')
    .select(['id', 'started_at', 'finished_at', 'status'])
    .where('company_id', '=', world.companyId)
    .where('dry_run', '=', 0)
    .orderBy('started_at')
    .execute();
}

/** Runs that started before the previous one (in start order) had finished. */
export function countOverlaps(runs: readonly RunRow[]): number {
  let overlaps = 0;
  for (let i = 1; i < runs.length; i++) {
    const prev = runs[i - 1];
    const run = runs[i];
    if (!prev || !run) continue;
    if (prev.finished_at === null || run.started_at < prev.finished_at) overlaps++;
  }
  return overlaps;
}

export async function runInstancesSoak(opts: InstancesOptions): Promise<InstancesResult> {
  const started = Date.now();
  const world = await startSoakWorld('soak_pg', { invoices: opts.invoices, limits: false, latencyMs: opts.latencyMs, postgres: true });
  const instances: ServeInstance[] = [];
  try {
    instances.push(...(await Promise.all([startServe(world.env), startServe(world.env)])));
    const token = await provisionApiToken(world.database.db, world.companyId);
    const answers = await Promise.all(
      Array.from({ length: opts.starts }, (_, i) =>
        apiCall(instances[i % instances.length]?.url ?? '', token, 'POST', `/companies/${world.companyCode}/exports`, {})),
    );
    const accepted = answers.filter((a) => a.status === 202).length;
    const toldRunning = answers.filter((a) => a.status === 409 && JSON.stringify(a.body).includes('EXPORT_ALREADY_RUNNING')).length;
    const otherAnswers = answers.filter((a) => a.status !== 202 && !(a.status === 409 && JSON.stringify(a.body).includes('EXPORT_ALREADY_RUNNING')));
    // Wait for the accepted runs to finish (each instance runs its own in the background).
    const deadline = Date.now() + 10 * 60_000;
    let runs = await runsOf(world);
    while ((runs.length < accepted || runs.some((r) => r.status === 'running')) && Date.now() < deadline) {
      await sleep(200);
      runs = await runsOf(world);
    }
    const check = await world.check();
    const overlappingRuns = countOverlaps(runs);
    return {
      invoices: opts.invoices, starts: opts.starts, accepted, toldRunning, otherAnswers: otherAnswers.slice(0, 5),
      runs: runs.length, overlappingRuns, seconds: (Date.now() - started) / 1000, check,
      passed: accepted >= 1 && accepted + toldRunning === opts.starts && runs.length === accepted && overlappingRuns === 0
        && runs.every((r) => r.status === 'succeeded') && instances.every((i) => i.alive()) && exactlyOnceHolds(check),
    };
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
    await world.close();
  }
}
