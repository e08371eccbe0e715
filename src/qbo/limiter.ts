import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock, LimitKind, RealmLimiter } from './types.ts';

/**
 * QBO's per-realm throttles (qbo-reference.md §4): 10 requests in any second, 500 requests (batch calls
 * included) and 40 batch calls in any 60 seconds, counted over sliding windows. We stay a little below
 * each limit and widen each window a little, because QBO counts by arrival time and our requests do not
 * all take the same time to get there.
 */
export interface Window {
  readonly limit: number;
  readonly windowMs: number;
}

export interface LimiterSettings {
  readonly requests: readonly Window[];
  readonly batches: readonly Window[];
}

export const qboLimits: LimiterSettings = Object.freeze({
  requests: [{ limit: 9, windowMs: 1_150 }, { limit: 480, windowMs: 61_000 }],
  batches: [{ limit: 38, windowMs: 61_000 }],
});

export const systemClock: Clock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

interface RealmWindows {
  readonly requests: number[];
  readonly batches: number[];
}

export class SlidingWindowLimiter implements RealmLimiter {
  private readonly realms = new Map<string, RealmWindows>();

  constructor(
    private readonly settings: LimiterSettings = qboLimits,
    private readonly clock: Clock = systemClock,
  ) {}

  async acquire(realmId: string, kind: LimitKind): Promise<void> {
    const realm = this.realmOf(realmId);
    for (;;) {
      const now = this.clock.now();
      const waitMs = Math.max(
        waitFor(realm.requests, this.settings.requests, now),
        kind === 'batch' ? waitFor(realm.batches, this.settings.batches, now) : 0,
      );
      if (waitMs <= 0) {
        // Checked and recorded in the same tick, so concurrent callers cannot both take the last slot.
        realm.requests.push(now);
        if (kind === 'batch') realm.batches.push(now);
        return;
      }
      await this.clock.sleep(waitMs);
    }
  }

  private realmOf(realmId: string): RealmWindows {
    let realm = this.realms.get(realmId);
    if (!realm) {
      realm = { requests: [], batches: [] };
      this.realms.set(realmId, realm);
    }
    return realm;
  }
}

/** How long until one more start fits every window (0 = now); drops starts older than the widest window. */
function waitFor(starts: number[], windows: readonly Window[], now: number): number {
  const widest = Math.max(0, ...windows.map((w) => w.windowMs));
  while (starts.length > 0 && (starts[0] ?? 0) <= now - widest) starts.shift();
  let wait = 0;
  for (const w of windows) {
    const inWindow = starts.filter((t) => t > now - w.windowMs);
    if (inWindow.length >= w.limit) {
      const oldestThatMustLeave = inWindow[inWindow.length - w.limit] ?? now;
      wait = Math.max(wait, oldestThatMustLeave + w.windowMs - now + 1);
    }
  }
  return wait;
}

let shared: SlidingWindowLimiter | undefined;

/** One limiter per process: every client of the same realm counts against the same windows. */
export function sharedRealmLimiter(): RealmLimiter {
  shared ??= new SlidingWindowLimiter();
  return shared;
}
