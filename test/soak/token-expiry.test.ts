import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planFor, shortPlan } from '../../bench/soak/plan.ts';
import { runTokenExpirySoak } from '../../bench/soak/token-expiry.ts';

const plan = planFor(process.env.SOAK_SCALE, shortPlan).tokens;

void test(`access token expiring ${plan.advances}+ times during one export: no failure`, async () => {
  const r = await runTokenExpirySoak(plan);
  assert.equal(r.exitCode, 0, `the export failed: ${r.stoppedBecause ?? ''} ${JSON.stringify(r.firstErrors)}`);
  assert.equal(r.status, 'succeeded');
  assert.ok(r.refreshes >= plan.advances, `only ${r.refreshes} refreshes for ${r.advances} clock moves`);
  assert.deepEqual(r.check.missing, []);
  assert.deepEqual(r.check.duplicates, []);
});
