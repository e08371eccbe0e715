import { Cron } from 'croner';
import type { Logger } from '../config/logger.ts';
import { RETRY, type JobEngine, type JobHandler, type SendOptions } from './engine.ts';

interface Job {
  queue: string;
  data: object;
  key: string | undefined;
  attempt: number;
}

/**
 * The embedded SQLite's engine: the same interface in one process. Jobs of a queue run one after another, a failed
 * job is tried again after a growing delay, schedules are croner timers (time zones included). With a single
 * process there is no one to share with, and the database still keeps one export and one sweep per company at a time.
 */
export function localEngine(opts: { logger: Logger; retryDelayMs?: number }): JobEngine {
  const handlers = new Map<string, JobHandler<object>>();
  const waiting = new Map<string, Job[]>();
  const busy = new Set<string>();
  const recentKeys = new Map<string, number>();
  const crons: Cron[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = true;

  const pump = (queue: string): void => {
    const handler = handlers.get(queue);
    const next = waiting.get(queue)?.[0];
    if (stopped || !handler || !next || busy.has(queue)) return;
    waiting.get(queue)?.shift();
    busy.add(queue);
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
      busy.delete(queue);
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
    async work<T extends object>(queue: string, handler: JobHandler<T>) {
      handlers.set(queue, handler as JobHandler<object>);
      pump(queue);
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
