import type { Generated } from 'kysely';

/**
 * A signed-in browser. The cookie carries a random id; only its SHA-256 is stored, so a copy of the
 * database cannot be replayed as a session. The CSRF token is per session (checked on every form POST).
 */
export interface WebSessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  /** A one-shot message shown on the next page (e.g. the outcome of the QuickBooks callback). */
  flash: string | null;
  created_at: string;
  expires_at: string;
  /** SHA-256 of the OAuth state this session started with Refresh Token: only this session may complete it. */
  oauth_state_hash: Generated<string | null>;
}

/**
 * The sign-in throttle's counter for one key (`account:EMAIL` or `address:IP`): attempts counted since the
 * counter last started, and when the last one was counted. In the database so every instance shares it.
 */
export interface SignInAttemptsTable {
  key: string;
  attempts: number;
  last_at: string;
}

/** A bearer token for the REST API; only its SHA-256 is stored, the token itself is printed once. */
export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  /** The first characters of the token, to tell tokens apart in a list without revealing them. */
  prefix: string;
  name: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** 1: the token may create and change customers even when its user may not. */
  master_data: Generated<number>;
}

export interface WebTables {
  web_sessions: WebSessionsTable;
  api_tokens: ApiTokensTable;
  sign_in_attempts: SignInAttemptsTable;
}
