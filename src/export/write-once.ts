import type { Transaction } from 'kysely';
import type { EntityName, EntityOf } from '../qbo/entities.ts';
import { isQboError, QboAuthError, ReconnectRequiredError, type QboError } from '../qbo/errors.ts';
import type { Database } from '../store/schema.ts';
import { commitExported } from '../store/runs/commit.ts';
import { failIntents, writePendingIntents } from '../store/runs/intents.ts';
import type { ExportIntent, IntentKind } from '../store/runs/tables.ts';
import { writeRequestId } from './request-id.ts';
import type { RunContext } from './run-context.ts';

/**
 * Exactly-once creation of one QBO record (docs/design.md rule 13):
 *  1. a pending intent from an interrupted run is reconciled first — the record is looked up in QBO and adopted;
 *  2. the intent (stable requestid) is written BEFORE the call;
 *  3. the QBO id goes onto the ERP record in the same transaction that marks the intent done.
 * A kill at any instant leaves either nothing, a pending intent (reconciled next time), or a done intent.
 * QBO's own uniqueness (DocNumber 6140, names 6240) is the last guard: a duplicate answer is looked up and adopted.
 */
export interface WriteOnceSpec<E extends EntityName> {
  kind: IntentKind;
  recordId: number;
  /** DocNumber, DisplayName or Item Name as sent: what QBO is searched by. */
  lookupKey: string;
  entity: E;
  payload: object;
  lookup: (key: string) => Promise<EntityOf<E> | null>;
  /** null when the found record may be adopted as ours, else why not (in plain words). */
  notOurs?: (found: EntityOf<E>) => string | null;
  /** Writes the QBO id onto the ERP record (and marks an invoice transferred), inside the intent's transaction. */
  commit: (trx: Transaction<Database>, qboId: string) => Promise<unknown>;
}

export type WriteOutcome<E extends EntityName> =
  | { kind: 'created'; entity: EntityOf<E> }
  | { kind: 'adopted'; entity: EntityOf<E> }
  /** QBO holds a record with our key that is not ours. */
  | { kind: 'conflict'; message: string; qboCode: string }
  /** QBO said the key is taken (6240/6140) but no record of that kind has it: a vendor or employee does. */
  | { kind: 'taken'; error: QboError }
  | { kind: 'failed'; error: QboError };

/** The attempt for the next call: the same while an intent is pending (same requestid), else one more. */
export function nextAttempt(intent: ExportIntent | undefined, lookupKey: string): number {
  if (!intent) return 1;
  return intent.state === 'pending' && intent.lookup_key === lookupKey ? intent.attempt : intent.attempt + 1;
}

/** Stops the whole run: the stored authorization is unusable (seed: the UNAUTHORIZED sentence). */
export function isAuthFailure(error: unknown): boolean {
  return error instanceof ReconnectRequiredError || (error instanceof QboAuthError);
}

/** The QBO id onto the ERP record and the intent done, in one transaction (store/runs/commit.ts). */
export async function commitQboId(rc: RunContext, kind: IntentKind, recordId: number, qboId: string, commit: WriteOnceSpec<EntityName>['commit']): Promise<void> {
  await rc.db.kysely.transaction().execute((trx) =>
    commitExported(trx, rc.scope, kind, [{ recordId, qboId }], new Date(), (t) => commit(t, qboId)));
}

export async function writeOnce<E extends EntityName>(rc: RunContext, spec: WriteOnceSpec<E>, intent: ExportIntent | undefined): Promise<WriteOutcome<E>> {
  const scope = rc.scope;
  const adoptIfFound = async (key: string): Promise<WriteOutcome<E> | null> => {
    const found = await spec.lookup(key);
    if (!found) return null;
    const why = spec.notOurs?.(found) ?? null;
    if (why) {
      await failIntents(rc.db.kysely, scope, spec.kind, [spec.recordId]);
      return { kind: 'conflict', message: why, qboCode: spec.kind === 'invoice' ? '6140' : '6240' };
    }
    await commitQboId(rc, spec.kind, spec.recordId, found.Id, spec.commit);
    return { kind: 'adopted', entity: found };
  };

  if (intent?.state === 'pending') {
    const adopted = await adoptIfFound(intent.lookup_key);
    if (adopted) return adopted;
  }
  const attempt = nextAttempt(intent, spec.lookupKey);
  const requestId = writeRequestId(scope.companyId, spec.kind, spec.recordId, attempt);
  await writePendingIntents(rc.db.kysely, [{ ...scope, kind: spec.kind, recordId: spec.recordId, lookupKey: spec.lookupKey, requestId, attempt }]);

  let created: EntityOf<E>;
  try {
    created = await rc.client.create(spec.entity, spec.payload, { requestId });
  } catch (error) {
    if (isAuthFailure(error) || !isQboError(error)) throw error;
    if (error.code === 'QBO_DUPLICATE_NAME' || error.code === 'QBO_DUPLICATE_DOC_NUMBER' || error.retryable) {
      // Duplicate: QBO already has the key — perhaps our own earlier attempt whose answer was lost.
      // Retryable after the client's own retries: the call may or may not have been applied. Either way, look.
      const adopted = await adoptIfFound(spec.lookupKey);
      if (adopted) return adopted;
      await failIntents(rc.db.kysely, scope, spec.kind, [spec.recordId]);
      return error.retryable ? { kind: 'failed', error } : { kind: 'taken', error };
    }
    await failIntents(rc.db.kysely, scope, spec.kind, [spec.recordId]);
    return { kind: 'failed', error };
  }
  await commitQboId(rc, spec.kind, spec.recordId, created.Id, spec.commit);
  return { kind: 'created', entity: created };
}
