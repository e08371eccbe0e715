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
  /** Raised by every save; each save names the version it read, so none goes backwards (compare-and-set). */
  readonly version: number;
  /** QuickBooks' CompanyInfo.CompanyName of the realm, read at connect (null when it could not be read). */
  readonly companyName: string | null;
  /** The books the company exported to before a reconnect to another realm (null when none, or already noted). */
  readonly previousRealmId: string | null;
  readonly previousCompanyName: string | null;
}

/** A connection to save after a completed authorization. */
export interface NewConnection {
  readonly realmId: string;
  readonly companyName: string | null;
  readonly tokens: EncryptedTokens;
  /** The version read before (null: no connection): the save happens only if it is still that one. */
  readonly expectedVersion: number | null;
}

/** A pending authorization: its state is stored hashed and good for one callback. */
export interface PendingAuthorization {
  readonly companyId: number;
  readonly userId: number | null;
}

/**
 * Every save is a compare-and-set on the connection's `version`: it names the version it read and returns false,
 * writing nothing, when another save came first (a refresh that started before a reconnect never overwrites it).
 */
export interface ConnectionStore {
  find(companyId: number): Promise<StoredConnection | null>;
  /** After a completed authorization: one connection per company, replaced on reconnect. */
  saveNew(companyId: number, connection: NewConnection, now: Date): Promise<boolean>;
  /** After a refresh: the rotated refresh token is saved before the new access token is used. */
  saveRefreshed(companyId: number, expectedVersion: number, tokens: EncryptedTokens, now: Date): Promise<boolean>;
  /** The same tokens sealed again with the current APP_SECRET (after a rotation, or an older format). */
  reseal(companyId: number, expectedVersion: number, sealed: { accessTokenEnc: string; refreshTokenEnc: string }, now: Date): Promise<boolean>;
  markNeedsReconnect(companyId: number, expectedVersion: number, reason: string, now: Date): Promise<boolean>;
  /** Forgets the company's connection; false when there was none at that version. */
  forget(companyId: number, expectedVersion: number): Promise<boolean>;
  /**
   * Runs `body` holding the company's refresh lease, which serialises refreshes across processes; waits up to
   * `waitMs` for it. `{ acquired: false }` when another holder kept it all that time.
   */
  underRefreshLease<T>(companyId: number, ttlMs: number, waitMs: number, body: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
  saveAuthorizationState(state: { stateHash: string; companyId: number; userId: number | null; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** Burns the state and returns its authorization; null when unknown, expired or already used. */
  consumeAuthorizationState(stateHash: string, now: Date): Promise<PendingAuthorization | null>;
}
