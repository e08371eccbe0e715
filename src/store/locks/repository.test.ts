import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import { leaseHolder, leaseStillHeld, releaseLeaseHeldBy, tryAcquireLease } from './repository.ts';

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

  void it('lets another holder take an expired lease (by the database clock), and the old holder is fenced off', async () => {
    const stale = await tryAcquireLease(db().kysely, 'export:B', 40);
    assert.ok(stale);
    assert.equal(await leaseStillHeld(db().kysely, stale), true);
    assert.equal(await tryAcquireLease(db().kysely, 'export:B', 60_000), null);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(await leaseStillHeld(db().kysely, stale), false, 'expired by the database clock');
    assert.equal(await leaseHolder(db().kysely, 'export:B'), null);
    const fresh = await tryAcquireLease(db().kysely, 'export:B', 60_000);
    assert.ok(fresh);
    assert.ok(fresh.generation > stale.generation, 'each acquisition raises the fencing number');
    assert.equal(await stale.renew(60_000), false);
    assert.equal(await fresh.renew(60_000), true);
    assert.equal(await leaseStillHeld(db().kysely, fresh), true);
    assert.equal(await leaseStillHeld(db().kysely, { ...fresh, generation: stale.generation }), false);
    assert.equal(await leaseStillHeld(db().kysely, stale), false);
  });

  void it('a lease deleted under its holder fences it off, also once a new holder took the lease', async () => {
    const first = await tryAcquireLease(db().kysely, 'export:D', 60_000);
    assert.ok(first);
    assert.ok(await releaseLeaseHeldBy(db().kysely, 'export:D', first.owner));
    assert.equal(await leaseStillHeld(db().kysely, first), false);
    const second = await tryAcquireLease(db().kysely, 'export:D', 60_000);
    assert.ok(second);
    // A deleted row starts again at 1; the owner differs, so the old holder still fails the fence.
    assert.equal(await leaseStillHeld(db().kysely, { ...second, owner: first.owner }), false);
    assert.equal(await leaseStillHeld(db().kysely, second), true);
  });

  void it('gives a contended lease to exactly one of many concurrent takers', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => tryAcquireLease(db().kysely, 'export:C', 60_000)));
    assert.equal(results.filter(Boolean).length, 1);
  });
});
