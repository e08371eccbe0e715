import type { EntityName } from '../qbo/entities.ts';
import type { CreditMemoWithLines } from '../store/credit-memos/repository.ts';
import type { ExportInvoiceLine } from '../store/erp/app-types.ts';
import { getIntents } from '../store/runs/intents.ts';
import type { ExportIntent, IntentKind } from '../store/runs/tables.ts';
import { applyCredit, predictApplication } from './credit-memos/apply.ts';
import type { InvoiceWork } from './invoice-prepare.ts';
import type { InvoiceConcurrency } from './invoices.ts';
import { planInvoices } from './invoice-plan.ts';
import { createInvoiceBatch, createInvoicesSingly } from './invoice-writer.ts';
import { DRY_RUN_NEW_ID, type PhaseOutcomes, type RecordOutcome } from './outcomes.ts';
import type { RunContext } from './run-context.ts';
import { commitQboId, writeOnce, type WriteOnceSpec, type WriteOutcome } from './write-once.ts';
import { MAX_BATCH_ITEMS } from '../qbo/client.ts';

/** A record a dry run would add: the real run creates it; later phases of the plan refer to it by a stand-in id. */
export interface Planned {
  readonly kind: 'planned';
  readonly standInId: string;
}

/** One kind of invoice worker: how many invoices it takes at a time and what it does with them. */
export interface InvoiceSender {
  readonly size: number;
  /** Waits for QBO's batch quota before taking invoices (batch calls), or takes them at once. */
  readonly paced: boolean;
  readonly send: (rc: RunContext, work: readonly InvoiceWork[]) => Promise<void>;
}

/**
 * Every point where a run would change QuickBooks or our ledger goes through the run's writer, so that each phase
 * is written once: the LiveWriter does it; the DryRunWriter reads QuickBooks, writes nothing (no QBO write, no
 * intent, no QBO id) and says what the real run would do.
 */
export interface ExportWriter {
  /** How a record's failure reads in the Process Log (a dry run predicts: "will fail: …"). */
  failure(text: string): string;
  /** Intents earlier runs left for these records; a dry run reads none (it looks every record up instead). */
  intents(rc: RunContext, kind: IntentKind, recordIds: readonly number[]): Promise<ReadonlyMap<number, ExportIntent>>;
  /** Stores a matched record's QBO id (its intent done, fenced); returns the verb for the Process Log. */
  storeMatch(rc: RunContext, kind: IntentKind, recordId: number, qboId: string, commit: WriteOnceSpec<EntityName>['commit']): Promise<string>;
  /** Creates one record in QuickBooks exactly once (write-once.ts); a dry run only plans it. */
  add<E extends EntityName>(rc: RunContext, spec: WriteOnceSpec<E>, intent: ExportIntent | undefined): Promise<WriteOutcome<E> | Planned>;
  /** The QBO id a document's customer or product has: the stored one, or in a dry run the one an earlier phase plans. */
  refersTo(stored: string | null, planned: RecordOutcome | undefined): string | null;
  /** A document with its product lines' QBO ids as `refersTo` gives them. */
  withProducts<T extends { lines: readonly ExportInvoiceLine[] }>(doc: T, outcomes: PhaseOutcomes): T;
  /** The workers that take the invoices to create off the phase's queue. */
  invoiceSenders(concurrency: InvoiceConcurrency): InvoiceSender[];
  /** Applies a transferred credit memo's credit to its invoice (or says whether it will). */
  applyCredit(rc: RunContext, source: CreditMemoWithLines, intent: ExportIntent | undefined): Promise<void>;
}

export class LiveWriter implements ExportWriter {
  failure(text: string): string {
    return text;
  }

  async intents(rc: RunContext, kind: IntentKind, recordIds: readonly number[]): Promise<ReadonlyMap<number, ExportIntent>> {
    return getIntents(rc.db.kysely, rc.scope, kind, recordIds);
  }

  async storeMatch(rc: RunContext, kind: IntentKind, recordId: number, qboId: string, commit: WriteOnceSpec<EntityName>['commit']): Promise<string> {
    await commitQboId(rc, kind, recordId, qboId, commit);
    return 'matched';
  }

  add<E extends EntityName>(rc: RunContext, spec: WriteOnceSpec<E>, intent: ExportIntent | undefined): Promise<WriteOutcome<E>> {
    return writeOnce(rc, spec, intent);
  }

  refersTo(stored: string | null): string | null {
    return stored;
  }

  withProducts<T>(doc: T): T {
    return doc;
  }

  invoiceSenders(concurrency: InvoiceConcurrency): InvoiceSender[] {
    return [
      ...Array.from({ length: concurrency.batchWorkers }, () => ({ size: MAX_BATCH_ITEMS, paced: true, send: createInvoiceBatch })),
      ...Array.from({ length: concurrency.singleWorkers }, () => ({ size: SINGLES_GROUP, paced: false, send: createInvoicesSingly })),
    ];
  }

  applyCredit(rc: RunContext, source: CreditMemoWithLines, intent: ExportIntent | undefined): Promise<void> {
    return applyCredit(rc, source, intent);
  }
}

/**
 * A single-create worker takes this many invoices at a time and sends them concurrently: their intents are written
 * in one statement and they commit together (a kill in between leaves pending intents, reconciled next time).
 */
const SINGLES_GROUP = 4;
/** A dry run looks invoices up this many at a time (one query per 30 numbers: lookups.ts). */
const PLAN_GROUP = 120;

export class DryRunWriter implements ExportWriter {
  failure(text: string): string {
    return `will fail: ${text}`;
  }

  async intents(): Promise<ReadonlyMap<number, ExportIntent>> {
    return new Map();
  }

  async storeMatch(): Promise<string> {
    return 'will be matched';
  }

  async add(): Promise<Planned> {
    return { kind: 'planned', standInId: DRY_RUN_NEW_ID };
  }

  refersTo(stored: string | null, planned: RecordOutcome | undefined): string | null {
    return stored ?? planned?.qboId ?? null;
  }

  withProducts<T extends { lines: readonly ExportInvoiceLine[] }>(doc: T, outcomes: PhaseOutcomes): T {
    return {
      ...doc,
      lines: doc.lines.map((l) => (l.productId !== null && !l.productQboId ? { ...l, productQboId: this.refersTo(null, outcomes.products.get(l.productId)) } : l)),
    };
  }

  invoiceSenders(): InvoiceSender[] {
    return [{ size: PLAN_GROUP, paced: false, send: planInvoices }];
  }

  applyCredit(rc: RunContext, source: CreditMemoWithLines): Promise<void> {
    return predictApplication(rc, { kind: 'credit-memo', key: source.memo.memoNo }, source, null);
  }
}
