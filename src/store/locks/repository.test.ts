import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import { leaseHolder, tryAcquireLease } from './repository.ts';

describeEachDialect('leases', ({ db }) => {
  void it('gives the lease to one holder until it is released', async () => {
    const first = await tryAcquireLease(db().kysely, 'export:A', 60_000);
    assert.ok(first);
    assert.equal(await tryAcquireLease(db().kysely, 'export:A', 60_000), null);
    assert.equal(await leaseHolder(db().kysely, 'export:A'), first.owner);
    await first.release();
    const second = await tryAcquireLease(db().kysely, 'export:A', 60_000);
    assert.ok(second);
    await second.release();
  });

  void it('lets another holder take an expired lease, and the old holder learns it lost it', async () => {
    const stale = await tryAcquireLease(db().kysely, 'export:B', 1_000, new Date(Date.now() - 10_000));
    assert.ok(stale);
    const fresh = await tryAcquireLease(db().kysely, 'export:B', 60_000);
    assert.ok(fresh);
    assert.equal(await stale.renew(60_000), false);
    assert.equal(await fresh.renew(60_000), true);
  });

  void it('gives a contended lease to exactly one of many concurrent takers', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => tryAcquireLease(db().kysely, 'export:C', 60_000)));
    assert.equal(results.filter(Boolean).length, 1);
  });
});
