import type { Config } from '../config/index.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../store/db.ts';
import { QUEUES, startBackgroundWork } from './background.ts';
import type { JobEngine } from './engine.ts';
import { localEngine } from './local-engine.ts';
import { pgBossEngine } from './pg-boss-engine.ts';

export type { JobEngine } from './engine.ts';
export { QUEUES, tick, dueAt } from './background.ts';
export { localEngine } from './local-engine.ts';
export { pgBossEngine } from './pg-boss-engine.ts';

export interface EngineOptions {
  /** pg-boss: seconds between checks of the cron schedules (tests shorten it). */
  cronMonitorIntervalSeconds?: number;
  pollingIntervalSeconds?: number;
}

/** pg-boss when the database is PostgreSQL (shared by every instance), else the in-process engine. */
export function createJobEngine(config: Config, logger: Logger, opts: EngineOptions = {}): JobEngine {
  const log = logger.child({ component: 'jobs' });
  if (config.databaseUrl.startsWith('postgres')) {
    return pgBossEngine({ connectionString: config.databaseUrl, logger: log, ...opts });
  }
  return localEngine({ logger: log });
}

export interface RunningBackground {
  readonly engine: JobEngine;
  notificationStored(inboxId: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the engine with the app's handlers and the once-a-minute tick. */
export async function startBackground(deps: { db: Db; config: Config; logger: Logger }, opts: EngineOptions = {}): Promise<RunningBackground> {
  const engine = createJobEngine(deps.config, deps.logger, opts);
  await engine.start();
  try {
    await startBackgroundWork({ ...deps, engine });
  } catch (error) {
    // A started engine keeps timers and a connection pool: left running it would hold the failed process open.
    await engine.stop();
    throw error;
  }
  return {
    engine,
    notificationStored: (inboxId) => engine.send(QUEUES.webhook, { inboxId }, { singletonKey: `webhook:${inboxId}`, singletonSeconds: 60 }),
    stop: () => engine.stop(),
  };
}
