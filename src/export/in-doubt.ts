import type { IntentKind } from '../store/runs/tables.ts';
import type { RecordRef, RunContext } from './run-context.ts';

/**
 * Writes whose outcome is unknown (a lost answer, a 5xx, a time-out, a killed run) are IN DOUBT (issue 13):
 * QuickBooks may still apply such a write, and show it in queries, some time after the send, and it may not
 * remember the requestid. So the record is neither failed nor sent again until a look-up made at least
 * QBO_IN_DOUBT_SECONDS after its last send finds nothing. Meanwhile the run goes on with other records and comes
 * back to these before a phase ends (`settleInDoubt`).
 */
export interface InDoubtEntry {
  kind: IntentKind;
  recordId: number;
  ref: RecordRef;
  /** ms since the epoch: the write's last send, or when its unknown outcome was seen (whichever is later). */
  sentAt: number;
  /** Looks the record up again: adopts it when found, sends it again once its window has closed, or holds it again. */
  settle: () => Promise<void>;
}

/** The run waits at a phase's end for windows that close within this long; later ones are left to the next run. */
export const MAX_END_WAIT_MS = 5 * 60_000;
/** Look-ups start this long after a window closes (clocks and QuickBooks' own time-out are not to the millisecond). */
const MARGIN_MS = 250;

export class InDoubtRecords {
  private readonly entries = new Map<string, InDoubtEntry>();

  constructor(readonly windowMs: number) {}

  hold(entry: InDoubtEntry): void {
    this.entries.set(`${entry.kind}:${entry.recordId}`, entry);
  }

  release(kind: IntentKind, recordId: number): void {
    this.entries.delete(`${kind}:${recordId}`);
  }

  of(kind: IntentKind): InDoubtEntry[] {
    return [...this.entries.values()].filter((e) => e.kind === kind);
  }

  all(): InDoubtEntry[] {
    return [...this.entries.values()];
  }

  count(kind: IntentKind): number {
    return this.of(kind).length;
  }

  /** When a look-up may conclude that QBO holds nothing from a write last sent at `sentAt`. */
  closesAt(sentAt: number): number {
    return sentAt + this.windowMs + MARGIN_MS;
  }

  /** A look-up that started at `lookupStartedAt` and found nothing proves the write was never applied. */
  windowClosed(sentAt: number, lookupStartedAt: number): boolean {
    return lookupStartedAt >= this.closesAt(sentAt);
  }
}

/** `sentAt` of an intent as ms (rows from before migration 0008: their last update, written just before the send). */
export function sentAtOf(intent: { sentAt: Date | null; updatedAt: Date }): number {
  return (intent.sentAt ?? intent.updatedAt).getTime();
}

const clock = (ms: number): string => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

/** Holds a record in doubt and says so in the Process Log. */
export function holdInDoubt(rc: RunContext, entry: InDoubtEntry): void {
  rc.inDoubt.hold(entry);
  rc.info(entry.ref, `whether QuickBooks applied it is in doubt (its answer was lost, or an earlier run's was); it is not sent again unless a look-up at ${clock(rc.inDoubt.closesAt(entry.sentAt))} or later finds nothing`);
}

/**
 * Before a phase ends: comes back to its in-doubt records once their windows close, so that a lost answer does not
 * leave a record to the next run. Bounded by time, not by rounds: each record's window closes at its own send time
 * (a killed run leaves them spread over seconds), so the phase waits for every window that closes within
 * MAX_END_WAIT_MS of its end — a record whose answer is lost again gets a new window, left to the next run once it
 * closes later than that.
 */
export async function settleInDoubt(rc: RunContext, kind: IntentKind): Promise<void> {
  const giveUpAt = Date.now() + MAX_END_WAIT_MS;
  while (!rc.stopped) {
    const waiting = rc.inDoubt.of(kind);
    if (waiting.length === 0) return;
    const first = Math.min(...waiting.map((e) => rc.inDoubt.closesAt(e.sentAt)));
    if (first > giveUpAt || Date.now() > giveUpAt) return;
    await rc.flush();
    await rc.sleep(first - Date.now());
    if (rc.stopped) return;
    for (const entry of rc.inDoubt.of(kind).filter((e) => rc.inDoubt.closesAt(e.sentAt) <= Date.now())) {
      if (rc.stopped) return;
      rc.inDoubt.release(entry.kind, entry.recordId);
      await entry.settle();
    }
    await rc.flush();
  }
}

/** At the end of the run: what is still in doubt goes into the counts and the Process Log, with what happens next. */
export function reportStillInDoubt(rc: RunContext): void {
  for (const entry of rc.inDoubt.all()) {
    rc.warn(entry.ref, `still in doubt: QuickBooks may or may not hold it (its answer was lost). The next export looks it up from ${clock(rc.inDoubt.closesAt(entry.sentAt))} on, adopts it if QuickBooks has it and sends it again only if not; nothing to do meanwhile`);
  }
  rc.counts.customers.inDoubt = rc.inDoubt.count('customer');
  rc.counts.products.inDoubt = rc.inDoubt.count('product');
  rc.counts.invoices.inDoubt = rc.inDoubt.count('invoice');
  // A memo whose credit application is in doubt counts once, beside memos whose own create is.
  rc.counts.creditMemos.inDoubt = rc.inDoubt.count('credit-memo') + rc.inDoubt.count('credit-application');
}
