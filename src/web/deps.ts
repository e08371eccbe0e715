import type { Config } from '../config/index.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../store/db.ts';
import type { ExportEvent } from '../export/index.ts';

/**
 * The narrow part of the export service the web app uses (docs/design.md rule 3). `start` resolves once the
 * Process Log entry exists and rejects with ExportAlreadyRunningError while a run for the company goes.
 */
export interface ExportRunner {
  start(companyId: number, startedBy: string, options: { dryRun?: boolean }): Promise<{ runId: number }>;
  /** Events of a run going in this process; false when this process does not run it. Returns the unsubscribe. */
  subscribe(runId: number, listener: (event: ExportEvent) => void): (() => void) | false;
}

/** Background work the web app hands on (issue 14): a stored webhook notification to process. */
export interface BackgroundQueue {
  notificationStored(inboxId: number): Promise<void>;
}

/** What the web app is built from (docs/design.md rule 2: the factory takes its dependencies). */
export interface WebDeps {
  readonly db: Db;
  readonly config: Config;
  readonly logger: Logger;
  /** Absent in a process that must not run exports (then Export answers 503). */
  readonly exportService?: ExportRunner;
  /** Absent: stored webhook notifications wait for the next tick of a process that runs background work. */
  readonly background?: BackgroundQueue;
  /** Clock for pages that show "expires in N days" and the 30-day chart; tests may pin it. */
  readonly now?: () => Date;
}
