import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCrashLoop } from '../../bench/soak/crash-loop.ts';
import { planFor, shortPlan } from '../../bench/soak/plan.ts';

const plan = planFor(process.env.SOAK_SCALE, shortPlan).crash;

void test(`export killed -9 at random instants ${plan.kills} times: every invoice in QBO exactly once and marked`, async () => {
  const r = await runCrashLoop({ ...plan, seed: 7 });
  const c = r.check;
  // Every message carries how the loop went, so that a failure on a CI machine can be read without a rerun.
  const how = JSON.stringify({ transferredAtKills: r.transferredAtKills, killDelaysMs: r.killDelaysMs, finalExitCodes: r.finalExitCodes, lastExit: r.lastExit, unmarked: c.unmarked.length, wrongId: c.wrongId.length, firstFinalFailure: r.firstFinalFailure });
  assert.ok(r.kills >= plan.kills, `only ${r.kills} kills landed`);
  assert.deepEqual(c.duplicates, [], `invoices created twice in QBO: ${how}`);
  assert.deepEqual(c.missing, [], `invoices missing in QBO: ${how}`);
  assert.deepEqual(c.unmarked, [], `ERP invoices not marked transferred with a QBO Id: ${how}`);
  assert.deepEqual(c.wrongId, [], `ERP invoices marked with another invoice's QBO Id: ${how}`);
  assert.deepEqual([...c.duplicateCustomers, ...c.duplicateItems], [], 'customers or items created twice');
  assert.equal(r.lastExit.code, 0, `the final run did not finish: ${r.firstFinalFailure ?? ''}`);
  assert.equal(r.lastExit.status, 'succeeded');
});
