import { createHash } from 'node:crypto';
import { nowIso, type Queryable } from '../erp/queryable.ts';
import type { WebhookInboxRow } from './tables.ts';

/**
 * Webhook notifications are stored before they are answered and processed afterwards (at least once):
 * a crash between the two leaves an unprocessed row that the next tick picks up. The same body twice
 * (Intuit retries a delivery it thinks failed) is stored once.
 */
export async function storeNotification(db: Queryable, body: string, at: Date = new Date()): Promise<{ id: number; duplicate: boolean }> {
  const sha = createHash('sha256').update(body).digest('hex');
  const inserted = await db
    .insertInto('qbo_webhook_inbox')
    .values({ body_sha256: sha, body, received_at: nowIso(at), processed_at: null, attempts: 0, last_error: null })
    .onConflict((oc) => oc.column('body_sha256').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, duplicate: false };
  const row = await db.selectFrom('qbo_webhook_inbox').select('id').where('body_sha256', '=', sha).executeTakeFirstOrThrow();
  return { id: row.id, duplicate: true };
}

export async function getNotification(db: Queryable, id: number): Promise<WebhookInboxRow | undefined> {
  return db.selectFrom('qbo_webhook_inbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ids of notifications not processed yet that arrived before `olderThan` (oldest first). */
export async function unprocessedNotifications(db: Queryable, olderThan: Date, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('qbo_webhook_inbox')
    .select('id')
    .where('processed_at', 'is', null)
    .where('received_at', '<', nowIso(olderThan))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Notifications not processed yet, whole rows, oldest first: what one job takes together. */
export async function waitingNotifications(db: Queryable, limit: number): Promise<WebhookInboxRow[]> {
  return db.selectFrom('qbo_webhook_inbox').selectAll().where('processed_at', 'is', null).orderBy('id').limit(limit).execute();
}

export async function markNotificationsProcessed(db: Queryable, ids: readonly number[], at: Date = new Date()): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('qbo_webhook_inbox').set((eb) => ({ processed_at: nowIso(at), attempts: eb('attempts', '+', 1), last_error: null })).where('id', 'in', ids).execute();
}

export async function markNotificationFailed(db: Queryable, id: number, error: string): Promise<void> {
  await db.updateTable('qbo_webhook_inbox').set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000) })).where('id', '=', id).execute();
}

/** Processed notifications older than `before` are of no further use. */
export async function pruneNotifications(db: Queryable, before: Date): Promise<number> {
  const result = await db.deleteFrom('qbo_webhook_inbox').where('processed_at', 'is not', null).where('processed_at', '<', nowIso(before)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
