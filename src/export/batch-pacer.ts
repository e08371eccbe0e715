import { setTimeout as sleep } from 'node:timers/promises';
import { qboLimits } from '../qbo/limiter.ts';

/**
 * Keeps batch workers from taking 30 invoices off the queue while QBO's batch quota (40 calls a minute per realm)
 * is spent: they would sit in the client's limiter holding them while single creates could have sent them.
 * Mirrors the client limiter's batch window; the client limiter stays the one that enforces it.
 */
export class BatchPacer {
  private readonly starts: number[] = [];
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(window = qboLimits.batches[0] ?? { limit: 38, windowMs: 61_000 }) {
    this.limit = window.limit;
    this.windowMs = window.windowMs;
  }

  /** Waits (in short steps, so a stopped run ends promptly) until one more batch call fits; false if stopped. */
  async turn(stopped: () => boolean): Promise<boolean> {
    for (;;) {
      if (stopped()) return false;
      const now = Date.now();
      while (this.starts.length > 0 && (this.starts[0] ?? 0) <= now - this.windowMs) this.starts.shift();
      if (this.starts.length < this.limit) {
        this.starts.push(now);
        return true;
      }
      await sleep(Math.min(250, (this.starts[0] ?? now) + this.windowMs - now + 1));
    }
  }
}
