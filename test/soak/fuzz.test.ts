import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFuzzSoak } from '../../bench/soak/fuzz.ts';
import { planFor, shortPlan } from '../../bench/soak/plan.ts';

const plan = planFor(process.env.SOAK_SCALE, shortPlan).fuzz;

void test(`${plan.records} fuzzed invoice records through import and the REST API: bad ones named, good ones exported`, async () => {
  const r = await runFuzzSoak({ ...plan, seed: 9 });
  for (const [door, d] of [['import', r.import], ['api', r.api]] as const) {
    assert.equal(d.crashes, 0, `${door}: crashes or 5xx answers`);
    assert.ok(d.bad > 0, `${door}: the generator made no bad record`);
    assert.deepEqual(d.misses, [], `${door}: bad records not rejected naming their field`);
    assert.equal(d.rejectedNamingField, d.bad);
    assert.deepEqual(d.goodRefused, [], `${door}: good records refused`);
  }
  assert.equal(r.import.partialWrites, 0, 'a file with bad records wrote something');
  assert.equal(r.exportExit, 0);
  assert.equal(r.inQbo, r.expectedInQbo, 'good approved records missing in QBO');
  assert.equal(r.badInQbo, 0, 'a bad record reached QBO');
});
