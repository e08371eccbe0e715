/**
 * Background work behind one small interface (issue 14): on PostgreSQL pg-boss, so any number of app instances
 * share the queues and each scheduled tick runs once; on the embedded SQLite the same interface in one process
 * (`local-engine.ts`). Handlers must be idempotent: both engines deliver at least once.
 */
export interface SendOptions {
  /** While a job with this key is waiting, running or ran within `singletonSeconds`, another is not added. */
  singletonKey?: string;
  singletonSeconds?: number;
}

export type JobHandler<T> = (data: T) => Promise<void>;

export interface JobEngine {
  readonly kind: 'pg-boss' | 'in-process';
  start(): Promise<void>;
  /** Stops taking work and waits (bounded) for running jobs. */
  stop(): Promise<void>;
  work<T extends object>(queue: string, handler: JobHandler<T>): Promise<void>;
  send<T extends object>(queue: string, data: T, opts?: SendOptions): Promise<void>;
  /** A job on `queue` at every occurrence of `cron` (5 fields, minute resolution) in time zone `tz`, once per engine cluster. */
  schedule(queue: string, cron: string, tz: string): Promise<void>;
}

/** Failed jobs are tried again: a QBO outage or a lost connection should not lose a webhook. */
export const RETRY = { limit: 3, delaySeconds: 10 } as const;
