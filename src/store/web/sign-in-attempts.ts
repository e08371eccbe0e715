import { sql } from 'kysely';
import type { Queryable } from '../erp/queryable.ts';

/** The throttle's counter of one account (emails are compared without case). */
export function accountAttemptsKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}

export type AttemptDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterS: number };

/**
 * Takes one attempt for `key` if fewer than `limit` were taken since the counter last started. A counter starts
 * again once `windowMs` passed without a counted attempt, so no span of `windowMs` holds more than `limit`.
 *
 * The decision is one UPDATE with its condition in the WHERE clause: SQLite runs writes one at a time and
 * PostgreSQL re-checks the WHERE on the row it locked, so parallel requests can never all see "4 so far".
 */
export async function takeAttempt(db: Queryable, key: string, limit: number, windowMs: number, now = new Date()): Promise<AttemptDecision> {
  const cutoff = new Date(now.getTime() - windowMs).toISOString();
  const at = now.toISOString();
  await db
    .insertInto('sign_in_attempts')
    .values({ key, attempts: 0, last_at: new Date(0).toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const result = await db
    .updateTable('sign_in_attempts')
    .set({
      attempts: sql<number>`case when last_at <= ${cutoff} then 1 else attempts + 1 end`,
      last_at: at,
    })
    .where('key', '=', key)
    .where((eb) => eb.or([eb('last_at', '<=', cutoff), eb('attempts', '<', limit)]))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return { allowed: true };
  const row = await db.selectFrom('sign_in_attempts').select('last_at').where('key', '=', key).executeTakeFirst();
  const until = (row ? Date.parse(row.last_at) : now.getTime()) + windowMs;
  return { allowed: false, retryAfterS: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}

/** Gives one taken attempt back (a right password from a shared address should not count against it). */
export async function returnAttempt(db: Queryable, key: string): Promise<void> {
  await db.updateTable('sign_in_attempts').set({ attempts: sql<number>`attempts - 1` }).where('key', '=', key).where('attempts', '>', 0).execute();
}

/** Forgets the counter: after a right password, or when an operator unlocks an account. */
export async function clearAttempts(db: Queryable, key: string): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('key', '=', key).execute();
}
