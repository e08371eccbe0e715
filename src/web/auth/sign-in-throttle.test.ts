import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import { takeAttempt } from '../../store/web/sign-in-attempts.ts';
import { MAX_PER_ACCOUNT, MAX_PER_ADDRESS, SignInThrottle, WINDOW_MS } from './sign-in-throttle.ts';

const t0 = new Date('2026-11-01T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describeEachDialect('sign-in throttle', ({ db }) => {
  void it('takes at most the limit when many attempts arrive at once', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => takeAttempt(db().kysely, 'k:parallel', 5, WINDOW_MS, t0)));
    assert.equal(results.filter((r) => r.allowed).length, 5);
  });

  void it('refuses with the wait until the window after the last counted attempt has passed, then starts again', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await takeAttempt(db().kysely, 'k:wait', 5, WINDOW_MS, at(i * 1000))).allowed, true);
    assert.deepEqual(await takeAttempt(db().kysely, 'k:wait', 5, WINDOW_MS, at(60_000)), { allowed: false, retryAfterS: (WINDOW_MS + 4000 - 60_000) / 1000 });
    // Refused attempts do not extend the lock.
    assert.equal((await takeAttempt(db().kysely, 'k:wait', 5, WINDOW_MS, at(4000 + WINDOW_MS - 1))).allowed, false);
    assert.equal((await takeAttempt(db().kysely, 'k:wait', 5, WINDOW_MS, at(4000 + WINDOW_MS))).allowed, true);
  });

  void it('a right password clears the account and gives the address its attempt back', async () => {
    const throttle = new SignInThrottle(db());
    for (let i = 0; i < MAX_PER_ACCOUNT - 1; i++) assert.equal((await throttle.take('Pat@Example.com', '10.0.0.1', t0)).allowed, true);
    await throttle.succeeded('pat@example.com', '10.0.0.1');
    for (let i = 0; i < MAX_PER_ACCOUNT; i++) assert.equal((await throttle.take('pat@example.com', '10.0.0.1', t0)).allowed, true);
    assert.equal((await throttle.take('PAT@example.com', '10.0.0.2', t0)).by, 'account');
  });

  void it('limits one address across many accounts', async () => {
    const throttle = new SignInThrottle(db());
    for (let i = 0; i < MAX_PER_ADDRESS; i++) assert.equal((await throttle.take(`user${i}@example.com`, '10.9.9.9', t0)).allowed, true);
    const refused = await throttle.take('another@example.com', '10.9.9.9', t0);
    assert.equal(refused.allowed, false);
    assert.equal(refused.by, 'address');
    assert.equal((await throttle.take('another@example.com', '10.9.9.10', t0)).allowed, true);
  });
});
