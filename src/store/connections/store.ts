import type { Db } from '../db.ts';
import { acquireLease } from '../locks/repository.ts';
import {
  consumeOAuthState, deleteConnection, findConnection, insertOAuthState, markNeedsReconnect, resealTokens, saveNewConnection, saveRefreshedTokens,
  type StoredTokens,
} from './repository.ts';
import type { QboConnectionRow } from './tables.ts';

/** Encrypted tokens with their expiries as dates (the app type of `StoredTokens`). */
export interface ConnectionTokens {
  readonly accessTokenEnc: string;
  readonly refreshTokenEnc: string;
  readonly accessTokenExpiresAt: Date;
  readonly refreshTokenExpiresAt: Date;
  readonly hardExpiresAt?: Date | null;
}

/** A connection row as the app uses it: camelCase, dates, a boolean (qbo/auth's `StoredConnection`). */
function toConnection(row: QboConnectionRow) {
  return {
    companyId: row.company_id,
    realmId: row.realm_id,
    accessTokenEnc: row.access_token_enc,
    refreshTokenEnc: row.refresh_token_enc,
    accessTokenExpiresAt: new Date(row.access_token_expires_at),
    refreshTokenExpiresAt: new Date(row.refresh_token_expires_at),
    hardExpiresAt: row.hard_expires_at ? new Date(row.hard_expires_at) : null,
    connectedAt: new Date(row.connected_at),
    lastRefreshAt: row.last_refresh_at ? new Date(row.last_refresh_at) : null,
    needsReconnect: row.needs_reconnect === 1,
    reconnectReason: row.reconnect_reason,
    version: row.version,
    companyName: row.qbo_company_name,
    // The books before a reconnect matter until the next run's Process Log has noted the change.
    previousRealmId: row.books_change_noted === 0 ? row.previous_realm_id : null,
    previousCompanyName: row.books_change_noted === 0 ? row.previous_company_name : null,
  };
}

function toStored(tokens: ConnectionTokens): StoredTokens {
  return {
    accessTokenEnc: tokens.accessTokenEnc,
    refreshTokenEnc: tokens.refreshTokenEnc,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt.toISOString(),
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt.toISOString(),
    ...(tokens.hardExpiresAt !== undefined ? { hardExpiresAt: tokens.hardExpiresAt?.toISOString() ?? null } : {}),
  };
}

/**
 * The QuickBooks connections of this database, in the shape qbo/auth's `ConnectionStore` asks for (checked where
 * the two are wired: the store may not import the QBO layer). One object per database, so that its identity can
 * key the in-process refresh map of the token source.
 */
export class SqlConnectionStore {
  private static readonly byDb = new WeakMap<Db, SqlConnectionStore>();

  static of(db: Db): SqlConnectionStore {
    let store = SqlConnectionStore.byDb.get(db);
    if (!store) SqlConnectionStore.byDb.set(db, (store = new SqlConnectionStore(db)));
    return store;
  }

  private constructor(private readonly db: Db) {}

  async find(companyId: number): Promise<ReturnType<typeof toConnection> | null> {
    const row = await findConnection(this.db.kysely, companyId);
    return row ? toConnection(row) : null;
  }

  async saveNew(companyId: number, connection: { realmId: string; companyName: string | null; tokens: ConnectionTokens; expectedVersion: number | null }, now: Date): Promise<boolean> {
    return saveNewConnection(this.db.kysely, companyId, { ...connection, tokens: toStored(connection.tokens) }, now);
  }

  async saveRefreshed(companyId: number, expectedVersion: number, tokens: ConnectionTokens, now: Date): Promise<boolean> {
    return saveRefreshedTokens(this.db.kysely, companyId, expectedVersion, toStored(tokens), now);
  }

  async reseal(companyId: number, expectedVersion: number, sealed: { accessTokenEnc: string; refreshTokenEnc: string }, now: Date): Promise<boolean> {
    return resealTokens(this.db.kysely, companyId, expectedVersion, sealed, now);
  }

  async markNeedsReconnect(companyId: number, expectedVersion: number, reason: string, now: Date): Promise<boolean> {
    return markNeedsReconnect(this.db.kysely, companyId, expectedVersion, reason, now);
  }

  async forget(companyId: number, expectedVersion: number): Promise<boolean> {
    return deleteConnection(this.db.kysely, companyId, expectedVersion);
  }

  async underRefreshLease<T>(companyId: number, ttlMs: number, waitMs: number, body: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const lease = await acquireLease(this.db.kysely, `token-refresh:${companyId}`, ttlMs, waitMs);
    if (!lease) return { acquired: false };
    try {
      return { acquired: true, value: await body() };
    } finally {
      await lease.release();
    }
  }

  async saveAuthorizationState(state: { stateHash: string; companyId: number; userId: number | null; createdAt: Date; expiresAt: Date }): Promise<void> {
    await insertOAuthState(this.db.kysely, state);
  }

  async consumeAuthorizationState(stateHash: string, now: Date): Promise<{ companyId: number; userId: number | null } | null> {
    const row = await consumeOAuthState(this.db.kysely, stateHash, now);
    return row ? { companyId: row.company_id, userId: row.user_id } : null;
  }
}
