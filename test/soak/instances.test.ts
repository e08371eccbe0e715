import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInstancesSoak } from '../../bench/soak/instances.ts';
import { planFor, shortPlan } from '../../bench/soak/plan.ts';
import { dialects } from '../support/databases.ts';

const plan = planFor(process.env.SOAK_SCALE, shortPlan).instances;

void test(`two app instances on one PostgreSQL database, ${plan.starts} simultaneous starts: one run at a time, none lost`, { skip: !dialects.includes('postgres') && 'PostgreSQL unreachable' }, async () => {
  const r = await runInstancesSoak(plan);
  assert.deepEqual(r.otherAnswers, [], 'every start must be accepted (202) or told a run is going (409)');
  assert.ok(r.accepted >= 1, 'no start was accepted');
  assert.equal(r.accepted + r.toldRunning, plan.starts);
  assert.equal(r.runs, r.accepted, 'an accepted start left no run in the Process Log');
  assert.equal(r.overlappingRuns, 0, 'two runs of the company overlapped');
  assert.deepEqual(r.check.duplicates, []);
  assert.deepEqual(r.check.missing, []);
  assert.deepEqual(r.check.unmarked, []);
  assert.ok(r.passed);
});
