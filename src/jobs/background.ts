import { Cron } from 'croner';
import type { Config } from '../config/index.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../store/db.ts';
import { companySettingsOf, listCompanies } from '../store/erp/companies.ts';
import { ExportAlreadyRunningError, runExport } from '../export/index.ts';
import { connectedCompanies, processNotification, pruneNotifications, SyncAlreadyRunningError, syncCompany, unprocessedNotifications } from '../sync/index.ts';
import type { JobEngine } from './engine.ts';

/** The queues of the app's background work. */
export const QUEUES = {
  /** Once a minute across all instances: decides what is due (sweeps, scheduled exports, stuck notifications). */
  tick: 'qbo-export-tick',
  webhook: 'qbo-webhook',
  sweep: 'qbo-sweep',
  scheduledExport: 'scheduled-export',
} as const;

export interface BackgroundDeps {
  db: Db;
  config: Config;
  logger: Logger;
  engine: JobEngine;
}

/** A notification still unprocessed this long after it arrived is sent to the queue again (at least once). */
const STUCK_AFTER_MS = 2 * 60_000;
const KEEP_PROCESSED_MS = 7 * 86_400_000;

/** Whether a 5-field cron in `tz` has an occurrence at the minute `at` (floored). */
export function dueAt(cron: string, tz: string, at: Date): boolean {
  const minute = Math.floor(at.getTime() / 60_000) * 60_000;
  const next = new Cron(cron, { timezone: tz, paused: true }).nextRun(new Date(minute - 1000));
  return next?.getTime() === minute;
}

/** What the tick of minute `at` starts: sweeps every `sweepMinutes`, exports whose schedule is due, stuck notifications. */
export async function tick(deps: BackgroundDeps, at: Date = new Date()): Promise<void> {
  const minuteIndex = Math.floor(at.getTime() / 60_000);
  if (minuteIndex % deps.config.sync.sweepMinutes === 0) {
    for (const c of await connectedCompanies(deps.db.kysely)) {
      // The key keeps a second tick (a slow instance, a retried job) from adding the same sweep again.
      await deps.engine.send(QUEUES.sweep, { companyId: c.companyId }, { singletonKey: `sweep:${c.companyId}:${minuteIndex}`, singletonSeconds: 60 });
    }
  }
  for (const company of await listCompanies(deps.db.kysely)) {
    const settings = companySettingsOf(company);
    if (!settings.exportSchedule || !dueAt(settings.exportSchedule, settings.timeZone ?? 'UTC', at)) continue;
    await deps.engine.send(QUEUES.scheduledExport, { companyId: company.id }, { singletonKey: `export:${company.id}:${minuteIndex}`, singletonSeconds: 60 });
  }
  for (const id of await unprocessedNotifications(deps.db.kysely, new Date(at.getTime() - STUCK_AFTER_MS), 500)) {
    await deps.engine.send(QUEUES.webhook, { inboxId: id }, { singletonKey: `webhook:${id}`, singletonSeconds: 60 });
  }
  await pruneNotifications(deps.db.kysely, new Date(at.getTime() - KEEP_PROCESSED_MS));
}

/** Registers the handlers and the once-a-minute tick on the engine (call before `engine.start()` or after; both work). */
export async function startBackgroundWork(deps: BackgroundDeps): Promise<void> {
  const { engine, logger } = deps;
  await engine.work<{ inboxId: number }>(QUEUES.webhook, async ({ inboxId }) => {
    const changes = await processNotification(deps, inboxId);
    logger.debug({ inboxId, changes }, 'webhook notification processed');
  });
  await engine.work<{ companyId: number }>(QUEUES.sweep, async ({ companyId }) => {
    try {
      const result = await syncCompany(deps, { id: companyId });
      logger.info({ company: result.company, changes: result.changes }, 'QuickBooks sweep done');
    } catch (error) {
      if (error instanceof SyncAlreadyRunningError) return;
      throw error;
    }
  });
  await engine.work<{ companyId: number }>(QUEUES.scheduledExport, async ({ companyId }) => {
    try {
      const summary = await runExport({ db: deps.db, config: deps.config, logger, companyId, startedBy: 'schedule', dryRun: false });
      logger.info({ companyId, runId: summary.runId, status: summary.status }, 'scheduled export done');
    } catch (error) {
      // One run per company: a run already going (a user's, or another instance's) is this occurrence's run.
      if (error instanceof ExportAlreadyRunningError) return;
      throw error;
    }
  });
  await engine.work(QUEUES.tick, async () => tick(deps));
  await engine.schedule(QUEUES.tick, '* * * * *', 'UTC');
}
