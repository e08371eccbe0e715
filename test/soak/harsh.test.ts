import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCrashLoop } from '../../bench/soak/crash-loop.ts';
import { runFaultSoak } from '../../bench/soak/faults.ts';
import { planFor, shortPlan } from '../../bench/soak/plan.ts';
import type { ExactlyOnceReport } from '../../bench/lib/exactly-once.ts';

/** Issue 13: the crash loop and the fault soak against QuickBooks at its harshest (bench/soak/world.ts HARSH). */
const plan = planFor(process.env.SOAK_SCALE, shortPlan);

function assertLedger(c: ExactlyOnceReport): void {
  assert.deepEqual(c.duplicates, [], 'invoices created twice in QBO');
  assert.deepEqual(c.missing, [], 'invoices missing in QBO');
  assert.deepEqual(c.unmarked, [], 'ERP invoices not marked transferred with a QBO Id');
  assert.deepEqual(c.wrongId, [], 'ERP invoices marked with another invoice\'s QBO Id');
  assert.deepEqual([...c.duplicateCustomers, ...c.duplicateItems], [], 'customers or items created twice');
}

void test(`harsh QuickBooks: export killed -9 ${plan.crash.kills} times with late-applied writes: every invoice exactly once`, async () => {
  const r = await runCrashLoop({ ...plan.crash, seed: 11, harsh: true });
  assert.ok(r.kills >= plan.crash.kills, `only ${r.kills} kills landed`);
  assertLedger(r.check);
  assert.equal(r.lastExit.code, 0, `the final run did not finish: ${r.firstFinalFailure ?? ''}`);
});

void test('harsh QuickBooks: ~10% of calls fail, some writes applied after the look-up: completes, 0 duplicates', async () => {
  const r = await runFaultSoak({ ...plan.faults, kinds: [...plan.faults.kinds, 'commit-delay'], seed: 11, harsh: true });
  assertLedger(r.check);
  assert.ok(r.passed, `did not complete: exits ${r.exitCodes.join(',')}`);
});
