import type { ExportIntent, IntentKind } from '../store/runs/tables.ts';
import type { EntityName } from '../qbo/entities.ts';
import type { RecordOutcome as Kept } from './outcomes.ts';
import { forEachConcurrent, type RecordRef, type RunContext } from './run-context.ts';
import type { WriteOnceSpec } from './write-once.ts';
import type { ExportPhase } from './types.ts';

/** Records read at a time (keyset paging keeps memory flat). */
const PAGE = 200;
/** Creates in flight at once: enough to hide QBO's latency, well under its 10 requests a second. */
const CONCURRENCY = 4;

/** What a match-or-add phase (customers, products, credit memo customers …) brings to the shared loop. */
export interface MatchOrAddPhase<R extends { readonly id: number }> {
  readonly phase: Exclude<ExportPhase, 'invoices'>;
  readonly kind: IntentKind;
  /** How many records qualify (the progress total). */
  count(): Promise<number>;
  /** The next page of qualifying records after `afterId`. */
  page(afterId: number | undefined, limit: number): Promise<R[]>;
  /**
   * Whatever the page needs from QuickBooks, read once for the page (one query for all its names), and the
   * function that matches or adds one record of it.
   */
  prepare(page: readonly R[]): Promise<(record: R, intent: ExportIntent | undefined) => Promise<void>>;
}

/**
 * The loop every match-or-add phase shares: page through the qualifying records, read their intents and what
 * QuickBooks holds for the page, handle the records a few at a time, flush the Process Log after each page.
 */
export async function runMatchOrAddPhase<R extends { readonly id: number }>(rc: RunContext, phase: MatchOrAddPhase<R>): Promise<void> {
  const total = await phase.count();
  let done = 0;
  rc.progress(phase.phase, 0, total, true);
  for (let afterId: number | undefined; !rc.stopped; ) {
    const page = await phase.page(afterId, PAGE);
    if (page.length === 0) break;
    afterId = page[page.length - 1]?.id;
    const intents = await rc.writer.intents(rc, phase.kind, page.map((r) => r.id));
    const exportOne = await phase.prepare(page);
    await forEachConcurrent(rc, page, CONCURRENCY, async (record) => {
      await exportOne(record, intents.get(record.id));
      done++;
      rc.progress(phase.phase, done, total);
    });
    await rc.flush();
  }
  rc.progress(phase.phase, done, total, true);
}

/**
 * A record its decision matched to a QBO record of the same name: the QBO id stored (a dry run only says so), kept
 * for the documents that refer to it, and recorded.
 */
export async function recordMatch(
  rc: RunContext,
  ref: RecordRef & { kind: 'customer' | 'product' },
  recordId: number,
  match: { readonly qboId: string; readonly qboName: string },
  kept: Map<number, Kept>,
  commit: WriteOnceSpec<EntityName>['commit'],
): Promise<void> {
  const verb = await rc.writer.storeMatch(rc, ref.kind, recordId, match.qboId, commit);
  kept.set(recordId, { qboId: match.qboId });
  rc.record(ref, { tally: 'matched', message: `${verb} to QuickBooks ${ref.kind} "${match.qboName}" (Id ${match.qboId})` });
}
