import type { NaiveRunResult } from '../naive-client.ts';
import type { FlowBackFigures } from '../flow-back.ts';
import type { CommandRun } from './command-bench.ts';
import { CEILING_PER_MINUTE, type ExporterRun } from './exporter-bench.ts';
import { formatFixed, formatInt, type TableRow } from './table.ts';

/** Turns the measured figures into the bench table's rows, each against its issue's target. */

const pct = (perMinute: number) => (100 * perMinute) / CEILING_PER_MINUTE;

export function storeRows(store: Record<string, number>): TableRow[] {
  const rows: TableRow[] = [];
  for (const dialect of ['sqlite', 'postgres']) {
    const keys = ['count.productExportQty.ms', 'count.customerExportQty.primary.ms', 'count.customerExportQty.secondary.ms', 'count.invoiceExportQty.ms'];
    const values = keys.map((k) => store[`${dialect}.${k}`]);
    if (values.some((v) => v === undefined)) continue;
    const [product, primary, secondary, invoice] = values as [number, number, number, number];
    rows.push({
      measure: `Counts on 1,000,000 invoices / 100,000 customers, ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (product / customer primary / customer secondary / invoice)`,
      figure: `${[product, primary, secondary, invoice].map((v) => formatFixed(v, 1)).join(' / ')} ms`,
      target: '< 50 ms each',
      met: Math.max(product, primary, secondary, invoice) < 50,
    });
  }
  const ips = store['sqlite.import.invoicesPerSecond'];
  if (ips !== undefined) {
    rows.push({ measure: `Import ${formatInt(store['sqlite.import.invoices'] ?? 0)} invoices (${formatInt(store['sqlite.import.lines'] ?? 0)} lines), SQLite`, figure: `${formatInt(ips)} invoices/s`, target: '≥ 20,000 invoices/s', met: ips >= 20_000 });
  }
  const rss = store['sqlite.import.peakRss.MB'];
  if (rss !== undefined) rows.push({ measure: 'Import peak memory (max RSS of the import process)', figure: Number.isNaN(rss) ? 'n/a' : `${formatInt(rss)} MB`, target: '< 300 MB', met: Number.isNaN(rss) ? undefined : rss < 300 });
  return rows;
}

export function emulatorRows(e: Record<string, number>): TableRow[] {
  const row = (what: string, wall: string, cpu: string): TableRow | null => {
    const w = e[wall];
    const c = e[cpu];
    if (w === undefined) return null;
    return { measure: `Emulator ${what} (limits off, no latency)`, figure: `${formatInt(w)} req/s${c === undefined ? '' : ` (${formatInt(c)} per server CPU-second)`}`, target: '≥ 2,000 req/s on one core', met: (c ?? w) >= 2_000 };
  };
  return [
    row('reads', 'readsPerSecond', 'readsPerCpuSecond'),
    row('queries', 'queriesPerSecond', 'queriesPerCpuSecond'),
    row('invoice creates', 'invoiceCreatesPerSecond', 'invoiceCreatesPerCpuSecond'),
  ].filter((r): r is TableRow => r !== null);
}

export function exporterRows(
  throttled: ExporterRun | undefined,
  naive: NaiveRunResult | undefined,
  big: ExporterRun | undefined,
  bigFrom: { measuredAt: string; commit: string | null } | null = null,
  referenceUnitMs?: number,
): TableRow[] {
  // A CPU figure as a multiple of the reference load measured in the same run (reference-load.ts).
  const inUnits = (ms: number) => (referenceUnitMs ? ` = ${formatInt(ms / referenceUnitMs)} reference units` : '');
  const earlier = bigFrom ? `; run of ${bigFrom.measuredAt.slice(0, 16).replace('T', ' ')} UTC, commit ${bigFrom.commit ?? '?'}` : '';
  const rows: TableRow[] = [];
  if (throttled) {
    const over = throttled.measuredMinutes > 0 ? `first ${throttled.measuredMinutes} min of the invoice phase` : `whole ${formatFixed(throttled.invoicePhaseSeconds, 0)} s invoice phase`;
    rows.push({
      measure: `Exporter, QBO throttles on, 150 ms latency (${formatInt(throttled.invoices)} invoices; ${over})`,
      figure: `${formatInt(throttled.invoicesPerMinute)} invoices/min = ${formatFixed(pct(throttled.invoicesPerMinute), 1)}% of ceiling`,
      target: '≥ 90% of 1,660/min',
      met: pct(throttled.invoicesPerMinute) >= 90,
    });
  }
  if (naive) {
    rows.push({
      measure: `Naive client, same settings: 1 request per invoice, sequential (${formatInt(naive.invoicesCreated)} invoices)`,
      figure: `${formatInt(naive.invoicesPerMinute)} invoices/min = ${formatFixed(pct(naive.invoicesPerMinute), 1)}% of ceiling`,
    });
  }
  if (throttled && naive && naive.invoicesPerMinute > 0) {
    rows.push({ measure: 'Exporter ÷ naive client', figure: `${formatFixed(throttled.invoicesPerMinute / naive.invoicesPerMinute, 1)}×` });
  }
  if (big) {
    rows.push({ measure: `Exporter CPU per invoice (${formatInt(big.created)} invoices, limits off, client limiter off${earlier})`, figure: `${formatFixed(big.cpuMsPerInvoice, 2)} ms${bigFrom ? '' : inUnits(big.cpuMsPerInvoice)}`, target: '≤ 1 ms', met: big.cpuMsPerInvoice <= 1 });
    rows.push({ measure: `Exporter peak RSS exporting ${formatInt(big.invoices)} invoices (limits off, no latency, client limiter off${earlier})`, figure: `${formatInt(big.maxRssMb)} MB (${formatInt(big.rssBeforeMb)} MB before the run started)`, target: '≤ 200 MB', met: big.maxRssMb <= 200 });
    rows.push({ measure: `Exporter ${formatInt(big.invoices)} invoices, limits off: duration${earlier}`, figure: `${formatInt(big.wallSeconds)} s (${formatInt(big.created / big.invoicePhaseSeconds)} invoices/s)` });
  }
  if (throttled) {
    rows.push({ measure: 'Exporter CPU per invoice in the throttled run (mostly waiting)', figure: `${formatFixed(throttled.cpuMsPerInvoice, 2)} ms${inUnits(throttled.cpuMsPerInvoice)}` });
  }
  if (referenceUnitMs) {
    rows.push({ measure: 'Reference load, one unit (a 3-line QBO payload built with decimal amounts, serialised, parsed, summed; median of 5 × 20,000)', figure: `${formatFixed(referenceUnitMs * 1000, 1)} µs CPU` });
  }
  return rows;
}

export function flowBackRows(f: FlowBackFigures): TableRow[] {
  const n = formatInt(f.payments);
  return [
    {
      measure: `QuickBooks payment → ERP invoice state by webhook, ${n} payments (p50 / p95; arrived)`,
      figure: `${formatInt(f.webhookP50Ms)} / ${formatInt(f.webhookP95Ms)} ms; ${formatFixed(f.webhookArrivedPct, 1)} %`,
      target: 'all arrive',
      met: f.webhookArrivedPct === 100,
    },
    {
      measure: `Sweep (change data capture) over ${n} changed invoices, every webhook dropped`,
      figure: `${formatInt(f.sweepMs)} ms, ${formatInt(f.sweepChanged)} states changed`,
    },
    {
      measure: 'States brought in by the sweep alone (webhooks dropped)',
      figure: `${formatFixed(f.sweepArrivedPct, 1)} %`,
      target: '100 %',
      met: f.sweepArrivedPct === 100,
    },
  ];
}

export function commandRows(c: CommandRun): TableRow[] {
  return [{
    measure: `The whole \`export\` command, spawn to exit, QBO throttles on, 150 ms latency (${formatInt(c.invoices)} invoices; ${c.checkSummary})`,
    figure: `${formatFixed(c.wallSeconds, 0)} s = ${formatInt(c.invoicesPerMinute)} invoices/min = ${formatFixed(c.ceilingPct, 1)}% of ceiling`,
    target: '≥ 90% of 1,660/min, exactly once',
    met: c.ceilingPct >= 90 && c.exactlyOnce,
  }];
}
