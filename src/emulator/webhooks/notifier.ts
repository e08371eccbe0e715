import { createHmac, randomUUID } from 'node:crypto';
import type { ChangeEvent } from '../api/context.ts';

/**
 * Intuit's webhooks (developer docs "Webhooks"; docs/qbo-behaviour.md §8.2): after changes in a realm, a POST of the
 * legacy `eventNotifications` payload to the app's endpoint, signed `intuit-signature` = base64
 * HMAC-SHA256(verifier token, raw body). An answer slower than 3 s or with 500/502/503/504/408 is
 * retried after 20, 30 and 50 minutes, then the notification is given up; any other answer
 * (2xx, or e.g. 401/404) ends it. Events are not merged across deliveries and may arrive late or
 * out of order, as Intuit warns.
 */

export interface WebhookTarget {
  url: string;
  verifier: string;
}

export interface WebhookOptions {
  /** Endpoint for every realm without its own (`--webhook-url`). */
  url?: string;
  /** Verifier token of that endpoint (`--webhook-verifier`). */
  verifier?: string;
  /** Multiplies Intuit's back-off (20/30/50 min; not the 3 s answer limit); e.g. 0.001 for tests. */
  backoffScale?: number;
}

/** Intuit's retry schedule after a failed delivery (docs/qbo-behaviour.md §8.2). */
export const RETRY_DELAYS_MS = [20 * 60_000, 30 * 60_000, 50 * 60_000];
/** Intuit expects the endpoint to answer within 3 s. */
export const ANSWER_LIMIT_MS = 3_000;
const RETRIED_STATUSES = new Set([408, 500, 502, 503, 504]);

export interface Delivery {
  realmId: string;
  attempt: number;
  at: string;
  /** HTTP status, or `timeout`, `network`, `dropped` (the drop fault), `no-endpoint`. */
  outcome: number | string;
  entities: ChangeEvent[];
}

export interface WebhookStats {
  notifications: number;
  attempts: number;
  delivered: number;
  retried: number;
  dropped: number;
  abandoned: number;
  pending: number;
}

export function signature(verifier: string, rawBody: string): string {
  return createHmac('sha256', verifier).update(rawBody, 'utf8').digest('base64');
}

/** Intuit writes `lastUpdated` with the offset as `-0700` (no colon), unlike MetaData times. */
function intuitTime(metaTime: string): string {
  return metaTime.replace(/([+-]\d{2}):(\d{2})$/, '$1$2');
}

export class WebhookNotifier {
  private readonly realmTargets = new Map<string, WebhookTarget | null>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly scale: number;
  private defaultTarget: WebhookTarget | undefined;
  /** Deliveries still to drop: the fault that loses notifications (Infinity = every one). */
  dropRemaining = 0;
  stats: WebhookStats = { notifications: 0, attempts: 0, delivered: 0, retried: 0, dropped: 0, abandoned: 0, pending: 0 };
  readonly log: Delivery[] = [];
  private stopped = false;

  constructor(opts: WebhookOptions = {}) {
    this.scale = opts.backoffScale ?? 1;
    if (opts.url !== undefined) this.defaultTarget = { url: opts.url, verifier: opts.verifier ?? '' };
  }

  /** A realm's own endpoint; `null` switches its notifications off, `undefined` falls back to the default. */
  setRealmTarget(realmId: string, target: WebhookTarget | null | undefined): void {
    if (target === undefined) this.realmTargets.delete(realmId);
    else this.realmTargets.set(realmId, target);
  }

  targetFor(realmId: string): WebhookTarget | undefined {
    const own = this.realmTargets.get(realmId);
    return own === null ? undefined : own ?? this.defaultTarget;
  }

  targets(): Record<string, unknown> {
    return { default: this.defaultTarget?.url ?? null, realms: Object.fromEntries([...this.realmTargets].map(([id, t]) => [id, t?.url ?? null])) };
  }

  /** Queues one notification with the changes of one request; sent after the API answer, never before. */
  notify(realmId: string, events: ChangeEvent[]): void {
    if (events.length === 0 || this.stopped || !this.targetFor(realmId)) return;
    this.stats.notifications++;
    const entities = events.map((e) => ({ ...e, lastUpdated: intuitTime(e.lastUpdated) }));
    this.schedule(realmId, entities, 1, 0);
  }

  /** Resolves once no delivery is running or waiting (tests and the bench wait on it). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.timers.size > 0) await Promise.race([...this.inFlight, new Promise((r) => setTimeout(r, 5))]);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.dropRemaining = 0;
    this.realmTargets.clear();
    this.log.length = 0;
    this.stats = { notifications: 0, attempts: 0, delivered: 0, retried: 0, dropped: 0, abandoned: 0, pending: 0 };
  }

  private schedule(realmId: string, entities: ChangeEvent[], attempt: number, delayMs: number): void {
    this.stats.pending++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.deliver(realmId, entities, attempt).finally(() => {
        this.inFlight.delete(run);
        this.stats.pending--;
      });
      this.inFlight.add(run);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private record(realmId: string, attempt: number, outcome: number | string, entities: ChangeEvent[]): void {
    this.log.push({ realmId, attempt, at: new Date().toISOString(), outcome, entities });
    if (this.log.length > 200) this.log.shift();
  }

  private async deliver(realmId: string, entities: ChangeEvent[], attempt: number): Promise<void> {
    const target = this.targetFor(realmId);
    if (!target || this.stopped) return this.record(realmId, attempt, 'no-endpoint', entities);
    if (this.dropRemaining > 0) {
      this.dropRemaining--;
      this.stats.dropped++;
      return this.record(realmId, attempt, 'dropped', entities);
    }
    this.stats.attempts++;
    const body = JSON.stringify({ eventNotifications: [{ realmId, dataChangeEvent: { entities } }] });
    let outcome: number | string;
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'intuit-signature': signature(target.verifier, body),
          'intuit-t-id': randomUUID(),
          'intuit-created-time': new Date().toISOString(),
          'intuit-notification-schema-version': '0.1',
          'user-agent': 'intuit_notification_server/0.1',
        },
        body,
        signal: AbortSignal.timeout(ANSWER_LIMIT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      outcome = res.status;
    } catch (error) {
      outcome = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
    }
    this.record(realmId, attempt, outcome, entities);
    if (typeof outcome === 'number' && outcome >= 200 && outcome < 300) {
      this.stats.delivered++;
      return;
    }
    const retry = typeof outcome === 'string' || RETRIED_STATUSES.has(outcome);
    const delay = RETRY_DELAYS_MS[attempt - 1];
    if (!retry || delay === undefined || this.stopped) {
      this.stats.abandoned++;
      return;
    }
    this.stats.retried++;
    this.schedule(realmId, entities, attempt + 1, Math.round(delay * this.scale));
  }
}
