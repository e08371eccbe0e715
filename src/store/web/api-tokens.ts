import { randomBytes } from 'node:crypto';
import type { Queryable } from '../erp/queryable.ts';
import { hashSecret } from './sessions.ts';

/** Recognisable prefix so a leaked token is easy to find in code or logs scanners. */
const TOKEN_PREFIX = 'qbx_';

export interface ApiTokenInfo {
  readonly id: number;
  readonly userId: number;
  readonly prefix: string;
  readonly name: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly masterData: boolean;
}

/** Creates a token for the user; the plain token is returned once and only its hash is stored. */
export async function createApiToken(
  db: Queryable,
  userId: number,
  name: string | null,
  now = new Date(),
  options: { masterData?: boolean } = {},
): Promise<{ token: string; id: number }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: userId, token_hash: hashSecret(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      name, created_at: now.toISOString(), last_used_at: null, revoked_at: null, master_data: options.masterData ? 1 : 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, id: row.id };
}

/** The user a presented token acts as (and its own permission), or null when unknown or revoked. Records its use. */
export async function verifyApiToken(db: Queryable, token: string, now = new Date()): Promise<{ userId: number; masterData: boolean } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const hash = hashSecret(token);
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'master_data'])
    .where('token_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
  return { userId: row.user_id, masterData: row.master_data === 1 };
}

export async function listApiTokens(db: Queryable, userId: number): Promise<ApiTokenInfo[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, userId: r.user_id, prefix: r.prefix, name: r.name,
    createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at, masterData: r.master_data === 1,
  }));
}

export async function revokeApiToken(db: Queryable, userId: number, id: number, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Revokes every active token of the user (offered when a password changes; tokens are separate credentials). */
export async function revokeAllApiTokens(db: Queryable, userId: number, now = new Date()): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
