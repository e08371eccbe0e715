import { Big } from 'big.js';

/**
 * A fixed CPU workload, measured in the same bench run as the exporter, so that a CPU figure can be read on any
 * machine: these machines differ up to 3× in speed from day to day, a ratio to this load much less. One unit is
 * what an exporter does per invoice, in kind and without I/O: build a three-line QBO payload with decimal
 * amounts, serialise it, parse it back and sum its lines.
 */
const UNITS = 20_000;
const RUNS = 5;

function oneUnit(i: number): string {
  const lines = [1, 2, 3].map((n) => {
    const qty = new Big(n + (i % 7));
    const price = new Big(`${10 + (i % 13)}.${String(n * 7).padStart(2, '0')}`);
    return { Amount: qty.times(price).toFixed(2), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: String(n) }, Qty: qty.toString(), UnitPrice: price.toFixed(2) } };
  });
  const body = JSON.stringify({ DocNumber: `REF-${i}`, CustomerRef: { value: String(i % 50) }, Line: lines, PrivateNote: `[qbo-export REF invoice ${i}]` });
  const parsed = JSON.parse(body) as { Line: Array<{ Amount: string }> };
  return parsed.Line.reduce((sum, l) => sum.plus(l.Amount), new Big(0)).toFixed(2);
}

/** CPU milliseconds of one reference unit: the median of a few runs (user + system time of this process). */
export function measureReferenceUnitMs(): number {
  const perRun: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const before = process.cpuUsage();
    let check = 0;
    for (let i = 0; i < UNITS; i++) check += oneUnit(i).length;
    const used = process.cpuUsage(before);
    // `check` keeps the work from being optimised away.
    if (check === 0) throw new Error('reference load did no work');
    perRun.push((used.user + used.system) / 1000 / UNITS);
  }
  perRun.sort((a, b) => a - b);
  return perRun[Math.floor(RUNS / 2)] ?? Number.NaN;
}
