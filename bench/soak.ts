/**
 * `npm run soak`: the reliability figures — crash loop, injected faults, two app instances on PostgreSQL,
 * expiring tokens, fuzzed input — printed as one table and written to bench/soak-results.json.
 * SOAK_SCALE=short runs the CI sizes; SOAK_ONLY=crash,faults,… runs some scenarios only.
 */
import { fileURLToPath } from 'node:url';
import { summarizeExactlyOnce, compactReport } from './lib/exactly-once.ts';
import { describeMachine, machineLine } from './lib/machine.ts';
import { currentCommit, writeResults } from './lib/results.ts';
import { renderMarkdownTable, renderTable, type TableRow } from './lib/table.ts';
import { soakRows } from './soak/rows.ts';
import { runCrashLoop } from './soak/crash-loop.ts';
import { runFaultSoak } from './soak/faults.ts';
import { runFuzzSoak } from './soak/fuzz.ts';
import { runInstancesSoak } from './soak/instances.ts';
import { fullPlan, planFor } from './soak/plan.ts';
import { runTokenExpirySoak } from './soak/token-expiry.ts';

const plan = planFor(process.env.SOAK_SCALE, fullPlan);
const only = new Set((process.env.SOAK_ONLY ?? '').split(',').filter(Boolean));
const started = Date.now();
// The code measured is the code loaded now: a commit made while the run goes must not be credited with it.
const commitAtStart = currentCommit();
const errors: Record<string, string> = {};

async function scenario<T>(name: string, body: () => Promise<T>): Promise<T | undefined> {
  if (only.size > 0 && !only.has(name)) return undefined;
  const t0 = Date.now();
  process.stderr.write(`soak: ${name}…\n`);
  try {
    const result = await body();
    process.stderr.write(`soak: ${name} done in ${Math.round((Date.now() - t0) / 1000)} s\n`);
    return result;
  } catch (error) {
    errors[name] = error instanceof Error ? error.message : String(error);
    process.stderr.write(`soak: ${name} FAILED: ${errors[name]}\n`);
    return undefined;
  }
}

process.stderr.write(`soak on ${machineLine(describeMachine())}\n`);
const crash = await scenario('crash', () => runCrashLoop({ ...plan.crash, seed: 20261125 }));
const faults = await scenario('faults', () => runFaultSoak({ ...plan.faults, seed: 20261125 }));
// Issue 13: the same two against QuickBooks at its harshest (bench/soak/world.ts HARSH).
const crashHarsh = await scenario('crash-harsh', () => runCrashLoop({ ...plan.crash, seed: 20261125, harsh: true }));
const faultsHarsh = await scenario('faults-harsh', () => runFaultSoak({ ...plan.faults, kinds: [...plan.faults.kinds, 'commit-delay'], seed: 20261125, harsh: true }));
const instances = await scenario('instances', () => runInstancesSoak(plan.instances));
const tokens = await scenario('tokens', () => runTokenExpirySoak(plan.tokens));
const fuzz = await scenario('fuzz', () => runFuzzSoak({ ...plan.fuzz, seed: 20261125 }));

const rows: TableRow[] = [
  ...soakRows({ crash, faults, crashHarsh, faultsHarsh, instances, tokens, fuzz }),
  ...Object.entries(errors).map(([name, message]) => ({ measure: `${name} (could not run)`, figure: message.slice(0, 120), met: false })),
];
const durationSeconds = Math.round((Date.now() - started) / 1000);
const file = fileURLToPath(new URL('./soak-results.json', import.meta.url));
const compact = <R extends { check: Parameters<typeof compactReport>[0] }>(r: R | undefined) =>
  r && { ...r, check: compactReport(r.check), checkSummary: summarizeExactlyOnce(r.check) };
const doc = writeResults(file, {
  commit: commitAtStart,
  durationSeconds,
  table: rows,
  details: {
    scale: process.env.SOAK_SCALE ?? 'full', plan,
    crash: compact(crash), faults: compact(faults), crashHarsh: compact(crashHarsh), faultsHarsh: compact(faultsHarsh), instances: compact(instances), tokens: compact(tokens), fuzz, errors,
    markdown: renderMarkdownTable(rows),
  },
});
console.log(renderTable(`qbo-export soak — ${machineLine(doc.machine)} — ${doc.measuredAt} (${durationSeconds} s)`, rows));
console.log(`Results: ${file}`);
if (rows.some((r) => r.met === false)) process.exitCode = 1;
