import type { ExactlyOnceReport } from '../lib/exactly-once.ts';
import { formatInt, type TableRow } from '../lib/table.ts';
import type { CrashLoopResult } from './crash-loop.ts';
import type { FaultSoakResult } from './faults.ts';
import type { FuzzSoakResult } from './fuzz.ts';
import type { InstancesResult } from './instances.ts';
import type { TokenExpiryResult } from './token-expiry.ts';

/** The soak table: what was done to the system, and what it held. */

const HARSH_LABEL = ' (harsh QuickBooks: duplicate numbers accepted, requestids forgotten, queries 1 s behind, writes applied 3 s after a dropped connection)';

function ledger(c: ExactlyOnceReport): string {
  const marked = c.erpInvoices - c.unmarked.length;
  return `${formatInt(c.qboInvoices)}/${formatInt(c.erpInvoices)} in QBO, ${c.duplicates.length} duplicates, ${c.missing.length} missing, `
    + `${formatInt(marked)} marked with their QBO Id${c.wrongId.length ? `, ${c.wrongId.length} wrong Ids` : ''}`
    + `${c.duplicateCustomers.length + c.duplicateItems.length ? `, ${c.duplicateCustomers.length} duplicate customers, ${c.duplicateItems.length} duplicate items` : ''}`;
}

export interface SoakResults {
  crash?: CrashLoopResult | undefined;
  faults?: FaultSoakResult | undefined;
  crashHarsh?: CrashLoopResult | undefined;
  faultsHarsh?: FaultSoakResult | undefined;
  instances?: InstancesResult | undefined;
  tokens?: TokenExpiryResult | undefined;
  fuzz?: FuzzSoakResult | undefined;
}

export function soakRows(r: SoakResults): TableRow[] {
  const rows: TableRow[] = [];
  for (const c of [r.crash, r.crashHarsh]) {
    if (!c) continue;
    const midInvoices = c.transferredAtKills.filter((n) => n > 0 && n < c.invoices).length;
    rows.push({
      measure: `Crash loop${c.harsh ? HARSH_LABEL : ''}: ${formatInt(c.invoices)} invoices, export SIGKILLed at random instants ${c.kills} times (${midInvoices} while invoices were being written), then run to the end`,
      figure: `${ledger(c.check)}; ${c.runsAfterLastKill} run(s) after the last kill`,
      target: '0 duplicates, 0 missing, all marked',
      met: c.passed,
    });
  }
  for (const f of [r.faults, r.faultsHarsh]) {
    if (!f) continue;
    const fired = Object.entries(f.faults.fired).filter(([, n]) => n > 0).map(([k, n]) => `${n}× ${k}`).join(', ');
    rows.push({
      measure: `Faults${f.harsh ? HARSH_LABEL : ''}: ${(f.injectedShare * 100).toFixed(1)}% of ${formatInt(f.faults.requests)} QBO calls failed (${fired}); ${f.runs} run(s) until all exported`,
      figure: ledger(f.check),
      target: 'completes, 0 duplicates',
      met: f.passed,
    });
  }
  if (r.instances) {
    const i = r.instances;
    rows.push({
      measure: `Two app instances on one PostgreSQL database, ${i.starts} simultaneous export starts (REST API)`,
      figure: `${i.accepted} accepted (202), ${i.toldRunning} told a run is going (409), ${i.otherAnswers.length} other answers, ${i.overlappingRuns} overlapping runs; ${ledger(i.check)}`,
      target: 'one run at a time, none lost',
      met: i.passed,
    });
  }
  if (r.tokens) {
    const t = r.tokens;
    rows.push({
      measure: `Access token expired mid-run ${t.advances} times (emulator clock +3,700 s each), ${formatInt(t.invoices)} invoices`,
      figure: `${t.refreshes} refreshes, run ${t.status ?? `exit ${t.exitCode}`}; ${ledger(t.check)}`,
      target: 'no failure',
      met: t.passed,
    });
  }
  if (r.fuzz) {
    const z = r.fuzz;
    rows.push({
      measure: `Fuzz via \`import\`: ${formatInt(z.import.records)} invoice records, ${formatInt(z.import.bad)} with bad fields (files of 1,000)`,
      figure: `${formatInt(z.import.rejectedNamingField)}/${formatInt(z.import.bad)} rejected naming the field (${formatInt(z.import.rejectedNamingEveryField)} naming every bad field), ${z.import.partialWrites} partial writes, ${z.import.goodRefused.length} good refused, ${z.import.crashes} crashes`,
      target: 'no crash, every bad record named',
      met: z.import.crashes === 0 && z.import.partialWrites === 0 && z.import.rejectedNamingField === z.import.bad && z.import.goodRefused.length === 0,
    });
    rows.push({
      measure: `Fuzz via REST API: ${formatInt(z.api.records)} invoice records one per call, ${formatInt(z.api.bad)} with bad fields`,
      figure: `${formatInt(z.api.rejectedNamingField)}/${formatInt(z.api.bad)} rejected (422) naming the field (${formatInt(z.api.rejectedNamingEveryField)} naming every bad field), ${z.api.goodRefused.length} good refused, ${z.api.crashes} crashes/5xx`,
      target: 'no crash, every bad record named',
      met: z.api.crashes === 0 && z.api.rejectedNamingField === z.api.bad && z.api.goodRefused.length === 0,
    });
    rows.push({
      measure: 'Fuzz: the good approved records exported',
      figure: `${formatInt(z.inQbo)}/${formatInt(z.expectedInQbo)} in QBO, ${z.badInQbo} bad ones in QBO, export exit ${z.exportExit}`,
      target: 'all good ones, no bad one',
      met: z.exportExit === 0 && z.inQbo === z.expectedInQbo && z.badInQbo === 0,
    });
  }
  return rows;
}
