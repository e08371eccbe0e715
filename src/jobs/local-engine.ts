import { Cron } from 'croner';
import type { Logger } from '../config/logger.ts';
import { RETRY, type JobEngine, type JobHandler, type SendOptions, type WorkOptions } from './engine.ts';

interface Job {
  queue: string;
  data: object;
  key: string | undefined;
  attempt: number;
}

/**
 * The embedded SQLite's engine: the same interface in one process. Jobs of a queue run one after another (or up to
 * the queue's `concurrency` at once), a failed
 * job is tried again after a growing delay, schedules are croner timers (time zones included). With a single
 * process there is no one to share with, and the database still keeps one export and one sweep per company at a time.
 */
export function localEngine(opts: { logger: Logger; retryDelayMs?: number }): JobEngine {
  const handlers = new Map<string, JobHandler<object>>();
  const waiting = new Map<string, Job[]>();
  /** Jobs running per queue, and how many each queue may run at once. */
  const busy = new Map<string, number>();
  const limits = new Map<string, number>();
  const recentKeys = new Map<string, number>();
  const crons: Cron[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = true;

  const pump = (queue: string): void => {
    const handler = handlers.get(queue);
    const next = waiting.get(queue)?.[0];
    if (stopped || !handler || !next || (busy.get(queue) ?? 0) >= (limits.get(queue) ?? 1)) return;
    waiting.get(queue)?.shift();
    busy.set(queue, (busy.get(queue) ?? 0) + 1);
    const run = handler(next.data).then(
      () => undefined,
      (error: unknown) => {
        opts.logger.warn({ err: error, queue, attempt: next.attempt }, 'background job failed');
        if (next.attempt > RETRY.limit || stopped) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          enqueue({ ...next, attempt: next.attempt + 1 });
        }, (opts.retryDelayMs ?? RETRY.delaySeconds * 1000) * 2 ** (next.attempt - 1));
        timer.unref();
        timers.add(timer);
      },
    ).finally(() => {
      busy.set(queue, (busy.get(queue) ?? 1) - 1);
      running.delete(run);
      pump(queue);
    });
    running.add(run);
  };

  const enqueue = (job: Job): void => {
    const list = waiting.get(job.queue) ?? [];
    list.push(job);
    waiting.set(job.queue, list);
    setImmediate(() => pump(job.queue));
  };

  return {
    kind: 'in-process',
    async start() {
      stopped = false;
      for (const queue of waiting.keys()) pump(queue);
    },
    async stop() {
      stopped = true;
      for (const c of crons) c.stop();
      for (const t of timers) clearTimeout(t);
      await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, 10_000).unref())]);
    },
    async work<T extends object>(queue: string, handler: JobHandler<T>, work: WorkOptions = {}) {
      handlers.set(queue, handler as JobHandler<object>);
      limits.set(queue, Math.max(1, work.concurrency ?? 1));
      for (let i = 0; i < (limits.get(queue) ?? 1); i++) pump(queue);
    },
    async send<T extends object>(queue: string, data: T, send: SendOptions = {}) {
      const key = send.singletonKey;
      if (key !== undefined) {
        const now = Date.now();
        for (const [k, t] of recentKeys) if (t <= now) recentKeys.delete(k);
        const until = recentKeys.get(key);
        const queued = (waiting.get(queue) ?? []).some((j) => j.key === key);
        if (queued || (until !== undefined && until > now)) return;
        recentKeys.set(key, now + (send.singletonSeconds ?? 0) * 1000);
      }
      enqueue({ queue, data, key, attempt: 1 });
    },
    async schedule(queue: string, cron: string, tz: string) {
      crons.push(new Cron(cron, { timezone: tz, protect: true }, () => {
        if (!stopped) enqueue({ queue, data: {}, key: undefined, attempt: 1 });
      }));
    },
  };
}
