import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFaultSoak } from '../../bench/soak/faults.ts';
import { planFor, shortPlan } from '../../bench/soak/plan.ts';

const plan = planFor(process.env.SOAK_SCALE, shortPlan).faults;

void test(`${plan.rate * 100}% of QBO calls fail (${plan.kinds.join(', ')}): the export completes with no duplicate`, async () => {
  const r = await runFaultSoak({ ...plan, seed: 5 });
  assert.ok(r.faults.injected > 0, 'no fault was injected');
  assert.equal(r.exitCodes.at(-1), 0, `the export never finished: exit codes ${r.exitCodes.join(', ')}`);
  assert.deepEqual(r.check.duplicates, [], 'invoices created twice in QBO');
  assert.deepEqual(r.check.missing, [], 'invoices missing in QBO');
  assert.deepEqual(r.check.unmarked, [], 'ERP invoices not marked');
  assert.deepEqual([...r.check.duplicateCustomers, ...r.check.duplicateItems], [], 'customers or items created twice');
});
