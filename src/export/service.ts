import { EventEmitter } from 'node:events';
import type { Config } from '../config/index.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../store/db.ts';
import { runExport } from './run-export.ts';
import type { ExportProgress, ExportSummary } from './types.ts';

export type ExportEvent =
  | { type: 'progress'; progress: ExportProgress }
  | { type: 'done'; summary: ExportSummary }
  /** The run ended with an unexpected error (its Process Log entry says so too). */
  | { type: 'error'; message: string };

interface RunState {
  emitter: EventEmitter;
  lastProgress: ExportProgress | null;
  final: ExportEvent | null;
  abort: AbortController;
  finished: Promise<void>;
}

/** Finished runs kept for late subscribers (a page that connects just after the end still gets 'done'). */
const KEEP_FINISHED = 50;

/**
 * Runs exports in this process for the web app: `start` answers as soon as the Process Log entry exists
 * (so the page can return 202 with the run id) and the run goes on in the background; `subscribe` streams its
 * progress and a final 'done'. One run per company across processes is enforced by the lease (runExport).
 */
export class ExportService {
  private readonly runs = new Map<number, RunState>();

  constructor(private readonly deps: { db: Db; config: Config; logger: Logger }) {}

  /** Throws ExportAlreadyRunningError (web: 409) or CompanyNotFoundError before any run starts. */
  start(companyId: number, startedBy: string, options: { dryRun?: boolean } = {}): Promise<{ runId: number }> {
    const abort = new AbortController();
    const emitter = new EventEmitter();
    let state: RunState | undefined;
    return new Promise((resolve, reject) => {
      const finished = runExport({
        ...this.deps,
        companyId,
        startedBy,
        dryRun: options.dryRun ?? false,
        signal: abort.signal,
        onRunCreated: (runId) => {
          state = { emitter, lastProgress: null, final: null, abort, finished };
          this.runs.set(runId, state);
          this.prune();
          resolve({ runId });
        },
        onProgress: (progress) => {
          if (!state) return;
          state.lastProgress = progress;
          emitter.emit('event', { type: 'progress', progress } satisfies ExportEvent);
        },
      }).then(
        (summary) => this.end(state, { type: 'done', summary }),
        (error: unknown) => {
          if (!state) return reject(error instanceof Error ? error : new Error(String(error)));
          this.deps.logger.error({ err: error }, 'export run failed');
          this.end(state, { type: 'error', message: (error as Error).message });
        },
      );
    });
  }

  /**
   * Calls `listener` with the latest progress at once, then every event until 'done' (or 'error').
   * Returns the unsubscribe function; false when the run is unknown to this process.
   */
  subscribe(runId: number, listener: (event: ExportEvent) => void): (() => void) | false {
    const state = this.runs.get(runId);
    if (!state) return false;
    if (state.lastProgress) listener({ type: 'progress', progress: state.lastProgress });
    if (state.final) {
      listener(state.final);
      return () => undefined;
    }
    state.emitter.on('event', listener);
    return () => state.emitter.off('event', listener);
  }

  isActive(runId: number): boolean {
    const state = this.runs.get(runId);
    return state !== undefined && state.final === null;
  }

  /** Cancels the running exports (they stop after the records in flight, resumable) and waits for them. */
  async close(): Promise<void> {
    const active = [...this.runs.values()].filter((s) => s.final === null);
    for (const s of active) s.abort.abort();
    await Promise.all(active.map((s) => s.finished));
  }

  private end(state: RunState | undefined, event: ExportEvent): void {
    if (!state) return;
    state.final = event;
    state.emitter.emit('event', event);
    state.emitter.removeAllListeners();
  }

  private prune(): void {
    const finished = [...this.runs.entries()].filter(([, s]) => s.final !== null);
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.runs.delete(id);
  }
}
