import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../erp/queryable.ts';

/** How long a browser stays signed in without signing in again. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface WebSession {
  readonly idHash: string;
  readonly userId: number;
  readonly csrfToken: string;
  readonly flash: string | null;
  readonly expiresAt: string;
  /** The QuickBooks authorization this session started (hash of its state), which only it may complete. */
  readonly oauthStateHash: string | null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a session; the returned `id` goes into the cookie and is never stored. */
export async function createSession(db: Queryable, userId: number, now = new Date()): Promise<{ id: string; session: WebSession }> {
  const id = randomBytes(32).toString('base64url');
  const session: WebSession = {
    idHash: hashSecret(id),
    userId,
    csrfToken: randomBytes(32).toString('base64url'),
    flash: null,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    oauthStateHash: null,
  };
  await db
    .insertInto('web_sessions')
    .values({
      id_hash: session.idHash, user_id: userId, csrf_token: session.csrfToken, flash: null,
      created_at: now.toISOString(), expires_at: session.expiresAt,
    })
    .execute();
  return { id, session };
}

/** The live session for a cookie id, or null when unknown or expired. */
export async function findSession(db: Queryable, id: string, now = new Date()): Promise<WebSession | null> {
  const row = await db
    .selectFrom('web_sessions')
    .selectAll()
    .where('id_hash', '=', hashSecret(id))
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row) return null;
  return {
    idHash: row.id_hash, userId: row.user_id, csrfToken: row.csrf_token, flash: row.flash, expiresAt: row.expires_at,
    oauthStateHash: row.oauth_state_hash,
  };
}

export async function setFlash(db: Queryable, idHash: string, flash: string | null): Promise<void> {
  await db.updateTable('web_sessions').set({ flash }).where('id_hash', '=', idHash).execute();
}

/** Records the QuickBooks authorization this session started (a newer one replaces an older one). */
export async function setOAuthStateHash(db: Queryable, idHash: string, stateHash: string): Promise<void> {
  await db.updateTable('web_sessions').set({ oauth_state_hash: stateHash }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('id_hash', '=', idHash).execute();
}

/** Housekeeping: removes expired sessions (called at sign-in, so the table never grows unbounded). */
export async function deleteExpiredSessions(db: Queryable, now = new Date()): Promise<void> {
  await db.deleteFrom('web_sessions').where('expires_at', '<=', now.toISOString()).execute();
}
