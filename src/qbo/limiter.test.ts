import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlidingWindowLimiter } from './limiter.ts';
import type { Clock } from './types.ts';

/** A clock that only moves when someone sleeps: the limiter's waits become exact and instant. */
function virtualClock(): Clock & { slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return { slept, now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; } };
}

/** Concurrent sleepers wake in time order; time moves only when everyone is asleep. */
function eventClock(): Clock & { run<T>(p: Promise<T>): Promise<T> } {
  let t = 1_000_000;
  const sleepers: { wake: number; resolve: () => void }[] = [];
  return {
    now: () => t,
    sleep: (ms) => new Promise<void>((resolve) => { sleepers.push({ wake: t + ms, resolve }); }),
    async run(p) {
      let done = false;
      const result = p.finally(() => { done = true; });
      while (!done) {
        await new Promise((r) => setImmediate(r));
        sleepers.sort((a, b) => a.wake - b.wake);
        const next = sleepers.shift();
        if (next) {
          t = Math.max(t, next.wake);
          next.resolve();
        }
      }
      return result;
    },
  };
}

function maxInAnyWindow(starts: number[], windowMs: number): number {
  let max = 0;
  for (const s of starts) max = Math.max(max, starts.filter((x) => x >= s && x < s + windowMs).length);
  return max;
}

void describe('SlidingWindowLimiter', () => {
  void it('keeps every sliding window under its limit, per realm', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter({ requests: [{ limit: 3, windowMs: 1000 }, { limit: 5, windowMs: 10_000 }], batches: [{ limit: 2, windowMs: 10_000 }] }, clock);
    const starts: number[] = [];
    for (let i = 0; i < 12; i++) {
      (await limiter.acquire('r1', 'request'))();
      starts.push(clock.now());
    }
    assert.ok(maxInAnyWindow(starts, 1000) <= 3);
    assert.ok(maxInAnyWindow(starts, 10_000) <= 5);
    // Another realm is not held back by r1's windows.
    const before = clock.now();
    (await limiter.acquire('r2', 'request'))();
    assert.equal(clock.now(), before);
  });

  void it('counts batch calls in both the batch and the request windows', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter({ requests: [{ limit: 100, windowMs: 1000 }], batches: [{ limit: 2, windowMs: 5000 }] }, clock);
    const t0 = clock.now();
    (await limiter.acquire('r', 'batch'))();
    (await limiter.acquire('r', 'batch'))();
    (await limiter.acquire('r', 'request'))();
    assert.equal(clock.now(), t0);
    (await limiter.acquire('r', 'batch'))();
    assert.ok(clock.now() >= t0 + 5000);
  });

  void it('lets concurrent callers through without exceeding the limit', async () => {
    const clock = eventClock();
    const limiter = new SlidingWindowLimiter({ requests: [{ limit: 4, windowMs: 1000 }], batches: [] }, clock);
    const starts: number[] = [];
    await clock.run(Promise.all(Array.from({ length: 10 }, async () => {
      const done = await limiter.acquire('r', 'request');
      starts.push(clock.now());
      done();
    })));
    assert.equal(starts.length, 10);
    assert.ok(maxInAnyWindow(starts, 1000) <= 4);
  });

  void it('counts a request until its answer came back: a slow answer holds its place longer', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter({ requests: [{ limit: 2, windowMs: 1000 }], batches: [] }, clock);
    const t0 = clock.now();
    const slow = await limiter.acquire('r', 'request');
    (await limiter.acquire('r', 'request'))();
    await clock.sleep(3000);
    slow();
    // The slow request may have reached QBO just now, so the next one waits a full window after it.
    (await limiter.acquire('r', 'request'))();
    assert.equal(clock.now(), t0 + 3000);
    (await limiter.acquire('r', 'request'))();
    assert.equal(clock.now(), t0 + 4001);
  });
});
