import type { Transaction } from 'kysely';
import type { EntityName, EntityOf } from '../qbo/entities.ts';
import { isQboError, QboAuthError, ReconnectRequiredError, type QboError } from '../qbo/errors.ts';
import type { Database } from '../store/schema.ts';
import { commitExported } from '../store/runs/commit.ts';
import { markSentAt, writePendingIntents } from '../store/runs/intents.ts';
import type { ExportIntent, IntentKind } from '../store/runs/tables.ts';
import { beforeSending, failIntentsFenced, fencedTransaction } from './fence.ts';
import { sentAtOf } from './in-doubt.ts';
import { writeRequestId } from './request-id.ts';
import type { RunContext } from './run-context.ts';

/**
 * Exactly-once creation of one QBO record (docs/design.md rule 13), without leaning on QuickBooks' duplicate
 * checks or its memory of `requestid`s (issue 13):
 *  1. a pending intent (an earlier send whose outcome is unknown) is looked up first and adopted when QBO has it;
 *     when QBO has nothing it is sent again (same requestid) only if the look-up started at least
 *     QBO_IN_DOUBT_SECONDS after its last send — else it stays IN DOUBT (in-doubt.ts);
 *  2. the intent (stable requestid) is written BEFORE the call, in a transaction that checks the run's lease;
 *  3. the QBO id goes onto the ERP record in the fenced transaction that marks the intent done;
 *  4. an unknown outcome (lost answer, 5xx, time-out) or a duplicate answer (6140/6240) is looked up: adopted when
 *     found, else in doubt — never failed, never sent again at once.
 */
export type Found<E extends EntityName> =
  | { kind: 'ours'; entity: EntityOf<E>; note?: string | undefined }
  /**
   * QBO holds a record with our key that is not ours, or ours voided: reported with what to do. `keepPending`:
   * the intent stays pending, so every later run looks again (a voided invoice: until it is deleted or renumbered).
   */
  | { kind: 'conflict'; message: string; qboCode: string | null; keepPending?: boolean }
  | { kind: 'none' };

export interface WriteOnceSpec<E extends EntityName> {
  kind: IntentKind;
  recordId: number;
  /** DocNumber, DisplayName or Item Name as sent: what QBO is searched by. */
  lookupKey: string;
  entity: E;
  payload: object;
  /**
   * Looks the key up in QBO and judges what it finds (ours, a conflict, or nothing). `duplicateAnswer`: QBO said
   * 6140/6240. `conclusive`: our own write can no longer appear (refused, or its in-doubt window closed), so a record
   * that is not ours is a conflict; before that it proves nothing.
   */
  find: (key: string, how: { duplicateAnswer: boolean; conclusive: boolean }) => Promise<Found<E>>;
  /** After 6240 with no record of this kind found: true when a vendor or employee holds the name. */
  takenElsewhere?: () => Promise<boolean>;
  /** Writes the QBO id onto the ERP record (and marks an invoice transferred), inside the intent's transaction. */
  commit: (trx: Transaction<Database>, qboId: string) => Promise<unknown>;
}

export type WriteOutcome<E extends EntityName> =
  | { kind: 'created'; entity: EntityOf<E> }
  | { kind: 'adopted'; entity: EntityOf<E>; note?: string | undefined }
  | { kind: 'conflict'; message: string; qboCode: string | null }
  /** QBO said the name is taken (6240) and a vendor or employee has it. */
  | { kind: 'taken'; error: QboError }
  | { kind: 'failed'; error: QboError }
  /** The outcome is unknown: `sentAt` (ms) starts the window after which a look-up may conclude. */
  | { kind: 'in-doubt'; sentAt: number };

/** The attempt for the next call: the same while an intent is pending (same requestid), else one more. */
export function nextAttempt(intent: ExportIntent | undefined, lookupKey: string): number {
  if (!intent) return 1;
  return intent.state === 'pending' && intent.lookupKey === lookupKey ? intent.attempt : intent.attempt + 1;
}

/** Stops the whole run: the stored authorization is unusable (seed: the UNAUTHORIZED sentence). */
export function isAuthFailure(error: unknown): boolean {
  return error instanceof ReconnectRequiredError || (error instanceof QboAuthError);
}

/**
 * True when QBO may have applied a write that failed this way: no answer, a 5xx, a time-out. A throttle (429) and
 * a validation fault are answers given before anything was written.
 */
export function outcomeUnknown(error: QboError): boolean {
  return error.retryable && error.code !== 'QBO_THROTTLED';
}

/** The QBO id onto the ERP record and the intent done, in one fenced transaction (store/runs/commit.ts). */
export async function commitQboId(rc: RunContext, kind: IntentKind, recordId: number, qboId: string, commit: WriteOnceSpec<EntityName>['commit']): Promise<void> {
  await rc.db.kysely.transaction().execute((trx) =>
    commitExported(trx, rc.fence, rc.scope, kind, [{ recordId, qboId }], new Date(), (t) => commit(t, qboId)));
}

export async function writeOnce<E extends EntityName>(rc: RunContext, spec: WriteOnceSpec<E>, intent: ExportIntent | undefined): Promise<WriteOutcome<E>> {
  const scope = rc.scope;
  const settle = async (found: Exclude<Found<E>, { kind: 'none' }>): Promise<WriteOutcome<E>> => {
    if (found.kind === 'conflict') {
      if (!found.keepPending) await failIntentsFenced(rc, spec.kind, [spec.recordId]);
      return found;
    }
    await commitQboId(rc, spec.kind, spec.recordId, found.entity.Id, spec.commit);
    return { kind: 'adopted', entity: found.entity, note: found.note };
  };

  if (intent?.state === 'pending') {
    const sentAt = sentAtOf(intent);
    const windowClosed = rc.inDoubt.windowClosed(sentAt, Date.now());
    const found = await spec.find(intent.lookupKey, { duplicateAnswer: false, conclusive: windowClosed });
    if (found.kind !== 'none') return settle(found);
    // QBO may still apply (or show) a write sent moments ago: nothing found proves nothing yet.
    if (!windowClosed) return { kind: 'in-doubt', sentAt };
  }
  const attempt = nextAttempt(intent, spec.lookupKey);
  const requestId = writeRequestId(scope.companyId, spec.kind, spec.recordId, attempt);
  await fencedTransaction(rc.db, rc.fence, (trx) =>
    writePendingIntents(trx, [{ ...scope, kind: spec.kind, recordId: spec.recordId, lookupKey: spec.lookupKey, requestId, attempt }]));

  let created: EntityOf<E>;
  try {
    created = await rc.client.create(spec.entity, spec.payload, { requestId, beforeSend: beforeSending(rc, spec.kind, [spec.recordId]) });
  } catch (error) {
    if (isAuthFailure(error) || !isQboError(error)) throw error;
    const duplicate = error.code === 'QBO_DUPLICATE_NAME' || error.code === 'QBO_DUPLICATE_DOC_NUMBER';
    if (!duplicate && !outcomeUnknown(error)) {
      await failIntentsFenced(rc, spec.kind, [spec.recordId]);
      return { kind: 'failed', error };
    }
    // Perhaps applied (our own answer lost), perhaps not: look, and if nothing shows, hold it in doubt.
    const seenAt = new Date();
    if (!duplicate) await markSentAt(rc.db.kysely, scope, spec.kind, [spec.recordId], seenAt);
    const found = await spec.find(spec.lookupKey, { duplicateAnswer: duplicate, conclusive: duplicate });
    if (found.kind !== 'none') return settle(found);
    if (error.code === 'QBO_DUPLICATE_NAME' && spec.takenElsewhere && (await spec.takenElsewhere())) {
      await failIntentsFenced(rc, spec.kind, [spec.recordId]);
      return { kind: 'taken', error };
    }
    if (duplicate) await markSentAt(rc.db.kysely, scope, spec.kind, [spec.recordId], seenAt);
    return { kind: 'in-doubt', sentAt: seenAt.getTime() };
  }
  await commitQboId(rc, spec.kind, spec.recordId, created.Id, spec.commit);
  return { kind: 'created', entity: created };
}
