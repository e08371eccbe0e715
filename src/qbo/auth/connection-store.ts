/**
 * What qbo/auth needs from wherever connections are kept (docs/design.md rule 3: a narrow interface at the
 * boundary). Declared here, implemented by the store (src/store/connections/store.ts) and wired by the layers
 * that may import both (export, web, cli): the QBO layer never reads a database row.
 */

/** Encrypted token values and their expiries, as the token store writes them. */
export interface EncryptedTokens {
  readonly accessTokenEnc: string;
  readonly refreshTokenEnc: string;
  readonly accessTokenExpiresAt: Date;
  readonly refreshTokenExpiresAt: Date;
  /** Undefined keeps the stored hard expiry (Intuit reports it only on request). */
  readonly hardExpiresAt?: Date | null;
}

/** A company's stored connection; tokens only encrypted. */
export interface StoredConnection {
  readonly companyId: number;
  readonly realmId: string;
  readonly accessTokenEnc: string;
  readonly refreshTokenEnc: string;
  readonly accessTokenExpiresAt: Date;
  readonly refreshTokenExpiresAt: Date;
  readonly hardExpiresAt: Date | null;
  readonly connectedAt: Date;
  readonly lastRefreshAt: Date | null;
  readonly needsReconnect: boolean;
  /** Why a reconnect is needed, as shown to the user; null when connected. */
  readonly reconnectReason: string | null;
}

/** A pending authorization: its state is stored hashed and good for one callback. */
export interface PendingAuthorization {
  readonly companyId: number;
  readonly userId: number | null;
}

export interface ConnectionStore {
  find(companyId: number): Promise<StoredConnection | null>;
  /** After a completed authorization: one connection per company, replaced on reconnect. */
  saveNew(companyId: number, realmId: string, tokens: EncryptedTokens, now: Date): Promise<void>;
  /** After a refresh: the rotated refresh token is saved before the new access token is used. */
  saveRefreshed(companyId: number, tokens: EncryptedTokens, now: Date): Promise<void>;
  markNeedsReconnect(companyId: number, reason: string, now: Date): Promise<void>;
  /** Forgets the company's connection; false when there was none. */
  forget(companyId: number): Promise<boolean>;
  /**
   * Runs `body` holding the company's refresh lease, which serialises refreshes across processes; waits up to
   * `waitMs` for it. `{ acquired: false }` when another holder kept it all that time.
   */
  underRefreshLease<T>(companyId: number, ttlMs: number, waitMs: number, body: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
  saveAuthorizationState(state: { stateHash: string; companyId: number; userId: number | null; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** Burns the state and returns its authorization; null when unknown, expired or already used. */
  consumeAuthorizationState(stateHash: string, now: Date): Promise<PendingAuthorization | null>;
}
