import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock, LimitKind, RealmLimiter } from './types.ts';

/**
 * QBO's per-realm throttles (docs/qbo-behaviour.md §4): 10 requests in any second, 500 requests (batch calls
 * included) and 40 batch calls in any 60 seconds, counted by QBO over sliding windows of arrival time.
 *
 * We cannot see arrival times, only that a request arrived somewhere between our send and its answer.
 * So a request counts in the windows from its send until its answer came back plus the window length
 * (while in flight it always counts). That bound holds however long the network or QBO takes, which
 * is what keeps 100 parallel requests free of 429s; the price is a little throughput when QBO is slow.
 */
export interface Window {
  readonly limit: number;
  readonly windowMs: number;
}

export interface LimiterSettings {
  readonly requests: readonly Window[];
  readonly batches: readonly Window[];
}

/** A small margin under each of QBO's limits. */
export const qboLimits: LimiterSettings = Object.freeze({
  requests: [{ limit: 10, windowMs: 1_050 }, { limit: 495, windowMs: 60_500 }],
  batches: [{ limit: 39, windowMs: 60_500 }],
});

/** While the slot that must leave is still in flight, look again after this long. */
const IN_FLIGHT_POLL_MS = 10;

export const systemClock: Clock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

interface Slot {
  /** When the answer came back; Infinity while the request is in flight. */
  end: number;
  readonly batch: boolean;
}

export class SlidingWindowLimiter implements RealmLimiter {
  private readonly realms = new Map<string, Slot[]>();
  private readonly widest: number;

  constructor(
    private readonly settings: LimiterSettings = qboLimits,
    private readonly clock: Clock = systemClock,
  ) {
    this.widest = Math.max(0, ...[...settings.requests, ...settings.batches].map((w) => w.windowMs));
  }

  async acquire(realmId: string, kind: LimitKind): Promise<() => void> {
    for (;;) {
      const now = this.clock.now();
      const slots = this.prune(realmId, now);
      const waitMs = Math.max(
        waitFor(slots.map((s) => s.end), this.settings.requests, now),
        kind === 'batch' ? waitFor(slots.filter((s) => s.batch).map((s) => s.end), this.settings.batches, now) : 0,
      );
      if (waitMs <= 0) {
        // Checked and taken in the same tick, so concurrent callers cannot both take the last place.
        const slot: Slot = { end: Infinity, batch: kind === 'batch' };
        slots.push(slot);
        return () => {
          slot.end = this.clock.now();
        };
      }
      await this.clock.sleep(waitMs);
    }
  }

  private prune(realmId: string, now: number): Slot[] {
    const kept = (this.realms.get(realmId) ?? []).filter((s) => s.end > now - this.widest);
    this.realms.set(realmId, kept);
    return kept;
  }
}

/** How long until one more request fits the windows (0 = now). */
function waitFor(ends: readonly number[], windows: readonly Window[], now: number): number {
  let wait = 0;
  for (const w of windows) {
    const inWindow = ends.filter((end) => end > now - w.windowMs).sort((a, b) => a - b);
    if (inWindow.length < w.limit) continue;
    const mustLeave = inWindow[inWindow.length - w.limit] ?? Infinity;
    wait = Math.max(wait, mustLeave === Infinity ? IN_FLIGHT_POLL_MS : mustLeave + w.windowMs - now + 1);
  }
  return wait;
}

let shared: SlidingWindowLimiter | undefined;

/** One limiter per process: every client of the same realm counts against the same windows. */
export function sharedRealmLimiter(): RealmLimiter {
  shared ??= new SlidingWindowLimiter();
  return shared;
}
