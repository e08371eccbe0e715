import type { ColumnType, Selectable } from 'kysely';

/** Timestamps are ISO-8601 UTC text, flags 0/1 (both dialects alike). */
type IsoTime = string;
type Flag = 0 | 1;

/**
 * One QuickBooks connection per company. Tokens are stored only encrypted (AES-256-GCM, see
 * src/qbo/auth/crypto.ts): these columns hold `v2.<iv>.<tag>.<ciphertext>` strings (or older `v1.`), never a token.
 */
export interface QboConnectionsTable {
  company_id: number;
  realm_id: string;
  access_token_enc: string;
  refresh_token_enc: string;
  access_token_expires_at: IsoTime;
  /** Rolling expiry: extended by each refresh (100 days at Intuit). */
  refresh_token_expires_at: IsoTime;
  /** The 5-year cap, when Intuit reported it (x_refresh_token_hard_expires_in). */
  hard_expires_at: IsoTime | null;
  connected_at: IsoTime;
  last_refresh_at: IsoTime | null;
  needs_reconnect: ColumnType<Flag, Flag | undefined, Flag>;
  /** Why a reconnect is needed (ReconnectReason), null when connected. */
  reconnect_reason: string | null;
  updated_at: IsoTime;
  /** Raised by every save; a save names the version it read (compare-and-set), so no save goes backwards. */
  version: ColumnType<number, number | undefined, number>;
  /** CompanyInfo.CompanyName of the realm, read at connect; null when QuickBooks could not be asked. */
  qbo_company_name: string | null;
  /** The books before a reconnect to another realm, until the next run's Process Log has noted the change. */
  previous_realm_id: string | null;
  previous_company_name: string | null;
  books_change_noted: ColumnType<Flag, Flag | undefined, Flag>;
}

/** Pending OAuth authorizations: the `state` is stored hashed, single use, 10 minutes. */
export interface OAuthStatesTable {
  state_hash: string;
  company_id: number;
  user_id: number | null;
  created_at: IsoTime;
  expires_at: IsoTime;
  used_at: IsoTime | null;
}

export interface ConnectionTables {
  qbo_connections: QboConnectionsTable;
  oauth_states: OAuthStatesTable;
}

export type QboConnectionRow = Selectable<QboConnectionsTable>;
export type OAuthStateRow = Selectable<OAuthStatesTable>;
