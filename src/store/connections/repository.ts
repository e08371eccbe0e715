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
 * After a completed authorization: one row per company, replaced on reconnect, only when the row is still at
 * `expectedVersion` (null: no row) — false otherwise, and nothing written. In the same transaction the company's books
 * become that realm (qbo-ids.ts), so the next count and run use that realm's ids at once; a reconnect to another
 * realm remembers the books before, for the pages and the next run's Process Log.
 */
export async function saveNewConnection(
  db: Queryable, companyId: number, connection: { realmId: string; companyName: string | null; tokens: StoredTokens; expectedVersion: number | null }, now: Date,
): Promise<boolean> {
  const { realmId, companyName, tokens, expectedVersion } = connection;
  const at = now.toISOString();
  const write = async (trx: Queryable): Promise<boolean> => {
    const current = await findConnection(trx, companyId);
    if ((current?.version ?? null) !== expectedVersion) return false;
    const company = await trx.selectFrom('companies').select('qbo_realm_id').where('id', '=', companyId).executeTakeFirst();
    const before = company?.qbo_realm_id ?? null;
    const booksChange = before !== null && before !== realmId
      ? { previous_realm_id: before, previous_company_name: current?.realm_id === before ? current.qbo_company_name : null, books_change_noted: 0 as const }
      : {};
    const row = {
      realm_id: realmId, qbo_company_name: companyName,
      access_token_enc: tokens.accessTokenEnc, refresh_token_enc: tokens.refreshTokenEnc,
      access_token_expires_at: tokens.accessTokenExpiresAt, refresh_token_expires_at: tokens.refreshTokenExpiresAt,
      hard_expires_at: tokens.hardExpiresAt ?? null, connected_at: at, last_refresh_at: null,
      needs_reconnect: 0 as const, reconnect_reason: null, updated_at: at, ...booksChange,
    };
    const written = current === undefined
      ? await trx.insertInto('qbo_connections').values({ company_id: companyId, version: 1, ...row }).onConflict((oc) => oc.column('company_id').doNothing()).executeTakeFirst()
      : await trx.updateTable('qbo_connections').set({ ...row, version: current.version + 1 }).where('company_id', '=', companyId).where('version', '=', current.version).executeTakeFirst();
    if (changedRows(written) !== 1) return false;
    await connectCompanyBooks(trx, companyId, realmId);
    return true;
  };
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}

function changedRows(result: { numInsertedOrUpdatedRows?: bigint | undefined; numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined): number {
  return Number(result?.numInsertedOrUpdatedRows ?? result?.numUpdatedRows ?? result?.numDeletedRows ?? 0);
}

/** Every change of a connection row after its creation: applied only at `expectedVersion`, which it raises. */
async function updateAtVersion(db: Queryable, companyId: number, expectedVersion: number, set: Partial<Omit<QboConnectionRow, 'company_id' | 'version'>>): Promise<boolean> {
  const result = await db
    .updateTable('qbo_connections')
    .set({ ...set, version: expectedVersion + 1 })
    .where('company_id', '=', companyId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return changedRows(result) === 1;
}

/** After a refresh: the rotated refresh token is written here before the new access token is used. */
export async function saveRefreshedTokens(db: Queryable, companyId: number, expectedVersion: number, tokens: StoredTokens, now: Date): Promise<boolean> {
  return updateAtVersion(db, companyId, expectedVersion, {
    access_token_enc: tokens.accessTokenEnc,
    refresh_token_enc: tokens.refreshTokenEnc,
    access_token_expires_at: tokens.accessTokenExpiresAt,
    refresh_token_expires_at: tokens.refreshTokenExpiresAt,
    ...(tokens.hardExpiresAt !== undefined ? { hard_expires_at: tokens.hardExpiresAt } : {}),
    last_refresh_at: now.toISOString(),
    updated_at: now.toISOString(),
  });
}

/** The same tokens encrypted again (with the current APP_SECRET, bound to the row): expiries untouched. */
export async function resealTokens(db: Queryable, companyId: number, expectedVersion: number, sealed: { accessTokenEnc: string; refreshTokenEnc: string }, now: Date): Promise<boolean> {
  return updateAtVersion(db, companyId, expectedVersion, { access_token_enc: sealed.accessTokenEnc, refresh_token_enc: sealed.refreshTokenEnc, updated_at: now.toISOString() });
}

export async function markNeedsReconnect(db: Queryable, companyId: number, expectedVersion: number, reason: string, now: Date): Promise<boolean> {
  return updateAtVersion(db, companyId, expectedVersion, { needs_reconnect: 1, reconnect_reason: reason, updated_at: now.toISOString() });
}

/**
 * The change of books a reconnect made, once: the next run notes it in its Process Log and, with `consume` (not a
 * dry run), marks it noted here (one run per company at a time holds the export lease, so no two runs take it).
 */
export async function takeBooksChangeNote(db: Queryable, companyId: number, consume: boolean): Promise<{ previousRealmId: string; previousCompanyName: string | null; realmId: string; companyName: string | null } | null> {
  const row = await findConnection(db, companyId);
  if (!row || row.books_change_noted === 1 || row.previous_realm_id === null) return null;
  if (consume) await db.updateTable('qbo_connections').set({ books_change_noted: 1 }).where('company_id', '=', companyId).execute();
  return { previousRealmId: row.previous_realm_id, previousCompanyName: row.previous_company_name, realmId: row.realm_id, companyName: row.qbo_company_name };
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

/** Forgets the company's connection (after the grant was revoked at Intuit), only when still at `expectedVersion`. */
export async function deleteConnection(db: Queryable, companyId: number, expectedVersion: number): Promise<boolean> {
  const result = await db.deleteFrom('qbo_connections').where('company_id', '=', companyId).where('version', '=', expectedVersion).executeTakeFirst();
  return changedRows(result) === 1;
}
