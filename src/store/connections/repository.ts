import { connectCompanyBooks } from '../erp/qbo-ids.ts';
import type { Queryable } from '../erp/queryable.ts';
import type { OAuthStateRow, QboConnectionRow } from './tables.ts';

/** Encrypted token values and their expiries, as the token store writes them. */
export interface StoredTokens {
  readonly accessTokenEnc: string;
  readonly refreshTokenEnc: string;
  readonly accessTokenExpiresAt: string;
  readonly refreshTokenExpiresAt: string;
  /** Undefined keeps the stored hard expiry (Intuit reports it only on request). */
  readonly hardExpiresAt?: string | null;
}

export async function findConnection(db: Queryable, companyId: number): Promise<QboConnectionRow | undefined> {
  return db.selectFrom('qbo_connections').selectAll().where('company_id', '=', companyId).executeTakeFirst();
}

/**
 * After a completed authorization: one row per company, replaced on reconnect; in the same transaction the
 * company's books become that realm (qbo-ids.ts), so the next count and run use that realm's ids at once.
 */
export async function saveNewConnection(db: Queryable, companyId: number, realmId: string, tokens: StoredTokens, now: Date): Promise<void> {
  const at = now.toISOString();
  const row = {
    realm_id: realmId,
    access_token_enc: tokens.accessTokenEnc,
    refresh_token_enc: tokens.refreshTokenEnc,
    access_token_expires_at: tokens.accessTokenExpiresAt,
    refresh_token_expires_at: tokens.refreshTokenExpiresAt,
    hard_expires_at: tokens.hardExpiresAt ?? null,
    connected_at: at,
    last_refresh_at: null,
    needs_reconnect: 0 as const,
    reconnect_reason: null,
    updated_at: at,
  };
  const write = async (trx: Queryable) => {
    await trx
      .insertInto('qbo_connections')
      .values({ company_id: companyId, ...row })
      .onConflict((oc) => oc.column('company_id').doUpdateSet(row))
      .execute();
    await connectCompanyBooks(trx, companyId, realmId);
  };
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
}

/** After a refresh: the rotated refresh token is written here before the new access token is used. */
export async function saveRefreshedTokens(db: Queryable, companyId: number, tokens: StoredTokens, now: Date): Promise<void> {
  await db
    .updateTable('qbo_connections')
    .set({
      access_token_enc: tokens.accessTokenEnc,
      refresh_token_enc: tokens.refreshTokenEnc,
      access_token_expires_at: tokens.accessTokenExpiresAt,
      refresh_token_expires_at: tokens.refreshTokenExpiresAt,
      ...(tokens.hardExpiresAt !== undefined ? { hard_expires_at: tokens.hardExpiresAt } : {}),
      last_refresh_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .where('company_id', '=', companyId)
    .execute();
}

export async function markNeedsReconnect(db: Queryable, companyId: number, reason: string, now: Date): Promise<void> {
  await db
    .updateTable('qbo_connections')
    .set({ needs_reconnect: 1, reconnect_reason: reason, updated_at: now.toISOString() })
    .where('company_id', '=', companyId)
    .execute();
}

export async function insertOAuthState(
  db: Queryable,
  state: { stateHash: string; companyId: number; userId: number | null; createdAt: Date; expiresAt: Date },
): Promise<void> {
  // Expired states are useless; drop them while we are here so the table stays small.
  await db.deleteFrom('oauth_states').where('expires_at', '<', state.createdAt.toISOString()).execute();
  await db
    .insertInto('oauth_states')
    .values({
      state_hash: state.stateHash,
      company_id: state.companyId,
      user_id: state.userId,
      created_at: state.createdAt.toISOString(),
      expires_at: state.expiresAt.toISOString(),
      used_at: null,
    })
    .execute();
}

/**
 * Marks the state used and returns it, in one conditional update: of two callbacks with the same state
 * only one gets the row. Unknown, expired and already-used states all give undefined.
 */
export async function consumeOAuthState(db: Queryable, stateHash: string, now: Date): Promise<OAuthStateRow | undefined> {
  const at = now.toISOString();
  const result = await db
    .updateTable('oauth_states')
    .set({ used_at: at })
    .where('state_hash', '=', stateHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('oauth_states').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
}

/** Forgets the company's connection (after the grant was revoked at Intuit). */
export async function deleteConnection(db: Queryable, companyId: number): Promise<boolean> {
  const result = await db.deleteFrom('qbo_connections').where('company_id', '=', companyId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
