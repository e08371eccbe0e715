import { createHash } from 'node:crypto';
import type { IntentKind } from '../store/runs/tables.ts';

/**
 * QBO `requestid`s (docs/qbo-behaviour.md §2.4): the same logical write always carries the same id, so a retry
 * or a resumed run is answered with the first result instead of a second object. Derived, never random:
 * company, record kind, record id and attempt (bumped only once QBO certainly holds nothing).
 * 32 hex characters: within QBO's 50 (single) and 36 (batch) limits.
 */
export function writeRequestId(companyId: number, kind: IntentKind, recordId: number, attempt: number): string {
  return createHash('sha256').update(`qbo-export:${companyId}:${kind}:${recordId}:${attempt}`).digest('hex').slice(0, 32);
}

/**
 * A batch's requestid, from its items' requestids: re-sending the same items gives the same id. 32 characters,
 * so that `requestid + bId` stays ≤ 50 with bIds of up to 18 characters.
 */
export function batchRequestId(itemRequestIds: readonly string[]): string {
  return createHash('sha256').update(`batch:${itemRequestIds.join(',')}`).digest('hex').slice(0, 32);
}
