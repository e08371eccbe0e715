import PgBoss from 'pg-boss';
import type { Logger } from '../config/logger.ts';
import { RETRY, type JobEngine, type JobHandler, type SendOptions } from './engine.ts';

/** PostgreSQL's answers to two sessions creating the same queue at once: deadlock, unique violation, duplicate table. */
const CREATE_RACE_CODES = new Set(['40P01', '23505', '42P07']);

export interface PgBossOptions {
  connectionString: string;
  logger: Logger;
  /** Seconds between checks of the cron schedules (pg-boss: 1–45; the default 30 keeps the load low). */
  cronMonitorIntervalSeconds?: number;
  /** Seconds between polls of a queue for new jobs. */
  pollingIntervalSeconds?: number;
}

/**
 * pg-boss (PostgreSQL's SKIP LOCKED queue): every instance polls the same tables, a job is fetched by one of them,
 * and its cron schedules are stored in the database and sent once per occurrence across all instances.
 */
export function pgBossEngine(opts: PgBossOptions): JobEngine {
  const boss = new PgBoss({
    connectionString: opts.connectionString,
    schema: 'pgboss',
    max: 4,
    cronMonitorIntervalSeconds: opts.cronMonitorIntervalSeconds ?? 30,
    cronWorkerIntervalSeconds: Math.min(opts.cronMonitorIntervalSeconds ?? 5, 5),
  });
  boss.on('error', (error) => opts.logger.error({ err: error }, 'job engine error'));
  const queues = new Set<string>();
  const ensure = async (queue: string): Promise<void> => {
    if (queues.has(queue)) return;
    for (let attempt = 1; ; attempt++) {
      try {
        // Idempotent: pg-boss checks for the queue first. Two instances starting at once can still both create it,
        // and PostgreSQL then refuses one of them (a deadlock or a duplicate): the next try finds the queue there.
        await boss.createQueue(queue, { name: queue, retryLimit: RETRY.limit, retryDelay: RETRY.delaySeconds, retryBackoff: true });
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 5 || !code || !CREATE_RACE_CODES.has(code)) throw error;
        await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
      }
    }
    queues.add(queue);
  };
  return {
    kind: 'pg-boss',
    async start() {
      await boss.start();
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000, wait: true });
    },
    async work<T extends object>(queue: string, handler: JobHandler<T>) {
      await ensure(queue);
      await boss.work<T>(queue, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data);
      });
    },
    async send<T extends object>(queue: string, data: T, send: SendOptions = {}) {
      await ensure(queue);
      await boss.send(queue, data, {
        ...(send.singletonKey !== undefined ? { singletonKey: send.singletonKey } : {}),
        ...(send.singletonSeconds !== undefined ? { singletonSeconds: send.singletonSeconds } : {}),
      });
    },
    async schedule(queue: string, cron: string, tz: string) {
      await ensure(queue);
      await boss.schedule(queue, cron, {}, { tz });
    },
  };
}
