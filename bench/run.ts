/**
 * `npm run bench`: one table of every performance figure the issues ask for, and bench/results.json.
 * Sizes can be lowered for a quick look (BENCH_THROUGHPUT_INVOICES, BENCH_NAIVE_INVOICES, BENCH_RSS_INVOICES, BENCH_FLOW_BACK_PAYMENTS, BENCH_COMMAND_INVOICES)
 * and parts skipped (BENCH_SKIP=store,emulator,naive,throttled,big,command,flowback); the README figures use the defaults.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runEmulatorBench } from './emulator.ts';
import { measureFlowBack } from './flow-back.ts';
import { measureExportCommand } from './lib/command-bench.ts';
import { commandRows, emulatorRows, exporterRows, flowBackRows, storeRows } from './lib/bench-rows.ts';
import { CEILING_FORMULA, CEILING_PER_MINUTE, LATENCY_MS, measureBigExport, measureNaive, measureThrottledExport, type ExporterRun } from './lib/exporter-bench.ts';
import { describeMachine, machineLine } from './lib/machine.ts';
import { measureReferenceUnitMs } from './lib/reference-load.ts';
import { currentCommit, writeResults, type ResultsDocument } from './lib/results.ts';
import { renderMarkdownTable, renderTable, type TableRow } from './lib/table.ts';
import { runStoreBench } from './store.ts';

const size = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const throughputInvoices = size('BENCH_THROUGHPUT_INVOICES', 5_000);
const throughputMinutes = size('BENCH_THROUGHPUT_MINUTES', 2);
const naiveInvoices = size('BENCH_NAIVE_INVOICES', 400);
const bigInvoices = size('BENCH_RSS_INVOICES', 100_000);
const flowBackPayments = size('BENCH_FLOW_BACK_PAYMENTS', 1_000);
const commandInvoices = size('BENCH_COMMAND_INVOICES', 5_000);

const started = Date.now();
// The code measured is the code loaded now: a commit made while the run goes must not be credited with it.
const commitAtStart = currentCommit();
const errors: Record<string, string> = {};

/**
 * BENCH_REUSE_BIG=FILE (with BENCH_SKIP=big) takes the 100,000-invoice run from an earlier results file:
 * that run alone takes over half an hour against the emulator (see README), too long to repeat each time.
 * Its rows then say when and on which commit it was measured.
 */
let reusedFrom: { measuredAt: string; commit: string | null } | null = null;
function reusedBig(): ExporterRun | undefined {
  const from = process.env.BENCH_REUSE_BIG;
  if (!from || !skip.has('big')) return undefined;
  const previous = JSON.parse(readFileSync(from, 'utf8')) as ResultsDocument<{ big?: ExporterRun }>;
  if (!previous.details.big) return undefined;
  reusedFrom = { measuredAt: previous.measuredAt, commit: previous.commit };
  return previous.details.big;
}

async function part<T>(name: string, body: () => Promise<T>): Promise<T | undefined> {
  if (skip.has(name)) return undefined;
  const t0 = Date.now();
  process.stderr.write(`bench: ${name}…\n`);
  try {
    const result = await body();
    process.stderr.write(`bench: ${name} done in ${Math.round((Date.now() - t0) / 1000)} s\n`);
    return result;
  } catch (error) {
    // One broken part must not hide the others' figures: it shows as an error row.
    errors[name] = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bench: ${name} FAILED: ${errors[name]}\n`);
    return undefined;
  }
}

process.stderr.write(`bench on ${machineLine(describeMachine())}\n`);
// CPU figures are also given in units of this load, measured in this run (reference-load.ts).
const referenceUnitMs = measureReferenceUnitMs();
const store = await part('store', () => runStoreBench());
const emulator = await part('emulator', () => runEmulatorBench());
const naive = await part('naive', () => measureNaive(naiveInvoices));
const throttled = await part('throttled', () => measureThrottledExport(throughputInvoices, throughputMinutes));
const big = (await part('big', () => measureBigExport(bigInvoices))) ?? reusedBig();
const command = await part('command', () => measureExportCommand(commandInvoices));
const flowBack = await part('flowback', () => measureFlowBack(flowBackPayments));

const rows: TableRow[] = [
  ...(store ? storeRows(store) : []),
  ...(emulator ? emulatorRows(emulator) : []),
  ...exporterRows(throttled, naive, big, reusedFrom, referenceUnitMs),
  ...(command ? commandRows(command) : []),
  ...(flowBack ? flowBackRows(flowBack) : []),
  ...Object.entries(errors).map(([name, message]) => ({ measure: `${name} (failed)`, figure: message.slice(0, 120) })),
];
const durationSeconds = Math.round((Date.now() - started) / 1000);
const file = fileURLToPath(new URL('./results.json', import.meta.url));
const doc = writeResults(file, {
  commit: commitAtStart,
  durationSeconds,
  table: rows,
  details: {
    ceiling: { perMinute: CEILING_PER_MINUTE, formula: CEILING_FORMULA, latencyMs: LATENCY_MS },
    sizes: { throughputInvoices, throughputMinutes, naiveInvoices, bigInvoices, flowBackPayments, commandInvoices },
    store, emulator, naive, throttled, big, command, flowBack, bigReusedFrom: reusedFrom, referenceUnitMs, errors,
    markdown: renderMarkdownTable(rows),
  },
});
console.log(renderTable(`qbo-export bench — ${machineLine(doc.machine)} — ${doc.measuredAt} (${durationSeconds} s)`, rows));
console.log(`Ceiling: ${CEILING_FORMULA} per realm (QBO: 500 requests/min incl. batch calls, 40 batch calls/min, 30 items per batch).`);
console.log(`Results: ${file}`);
