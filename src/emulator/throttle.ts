/**
 * QBO's throttles per realm, over sliding windows (docs/qbo-behaviour.md §4; docs/design.md "Emulator contract"):
 * at most 10 requests in any second, 500 requests (batch calls included) and 40 batch calls in any
 * 60 seconds. Rejected requests are not counted, so a client that backs off recovers.
 */
export const LIMITS = { perSecond: 10, perMinute: 500, batchPerMinute: 40 } as const;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: string };

class Window {
  private stamps: number[] = [];
  private head = 0;

  constructor(private readonly spanMs: number) {}

  /** Number of stamps in (now - span, now]; old ones are dropped. */
  count(now: number): number {
    while (this.head < this.stamps.length && (this.stamps[this.head] ?? 0) <= now - this.spanMs) this.head++;
    if (this.head > 1024) {
      this.stamps = this.stamps.slice(this.head);
      this.head = 0;
    }
    return this.stamps.length - this.head;
  }

  /** Seconds until the `over`-th oldest stamp leaves the window. */
  retryAfter(now: number, limit: number): number {
    const index = this.head + (this.stamps.length - this.head - limit);
    const stamp = this.stamps[Math.max(this.head, index)] ?? now;
    return Math.max(1, Math.ceil((stamp + this.spanMs - now) / 1000));
  }

  /** Count in the last `spanMs` only for a shorter window over the same stamps. */
  countWithin(now: number, spanMs: number): number {
    let n = 0;
    for (let i = this.stamps.length - 1; i >= this.head && (this.stamps[i] ?? 0) > now - spanMs; i--) n++;
    return n;
  }

  add(now: number): void {
    this.stamps.push(now);
  }
}

interface RealmWindows {
  requests: Window;
  batches: Window;
}

export class Throttle {
  private realms = new Map<string, RealmWindows>();

  decide(realmId: string, isBatch: boolean, now: number): ThrottleDecision {
    let w = this.realms.get(realmId);
    if (!w) {
      w = { requests: new Window(60_000), batches: new Window(60_000) };
      this.realms.set(realmId, w);
    }
    const perMinute = w.requests.count(now);
    if (w.requests.countWithin(now, 1000) >= LIMITS.perSecond) return { allowed: false, retryAfterSeconds: 1, reason: 'perSecond' };
    if (perMinute >= LIMITS.perMinute) return { allowed: false, retryAfterSeconds: w.requests.retryAfter(now, LIMITS.perMinute), reason: 'perMinute' };
    if (isBatch && w.batches.count(now) >= LIMITS.batchPerMinute) {
      return { allowed: false, retryAfterSeconds: w.batches.retryAfter(now, LIMITS.batchPerMinute), reason: 'batchPerMinute' };
    }
    w.requests.add(now);
    if (isBatch) w.batches.add(now);
    return { allowed: true };
  }

  reset(): void {
    this.realms.clear();
  }
}
