import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../config/logger.ts';
import type { ConnectionStore, EncryptedTokens, StoredConnection } from './connection-store.ts';
import { readCompanyName } from './company-name.ts';
import { tokenAad, tokenCipher } from './crypto.ts';
import { underConnectionLease } from './lease.ts';
import { inSeconds } from './lifetimes.ts';
import { authorizeUrl, exchangeCode, oauthEndpoints, OAuthError } from './oauth.ts';

/** Intuit's consent page is quick; ten minutes is plenty and keeps stolen states short-lived. */
export const STATE_TTL_MS = 10 * 60_000;

export type ConnectOutcome =
  | {
    readonly kind: 'connected'; readonly companyId: number; readonly realmId: string; readonly userId: number | null;
    /** CompanyInfo.CompanyName of the realm (null when QuickBooks could not be asked). */
    readonly companyName: string | null;
    /** Set when this was a reconnect to other books: the realm and name before. */
    readonly previous: { readonly realmId: string; readonly companyName: string | null } | null;
  }
  | { readonly kind: 'denied' }
  | { readonly kind: 'bad-state' }
  | { readonly kind: 'wrong-session' }
  | { readonly kind: 'invalid-grant' }
  | { readonly kind: 'error'; readonly message: string };

/** Only the hash is stored: a database reader cannot complete someone else's authorization. */
function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

/** Starts the OAuth authorization for a company: a single-use state and Intuit's authorize URL (§1.4). */
export async function beginConnect(deps: {
  connections: ConnectionStore; config: Config; companyId: number; userId?: number; now?: Date;
}): Promise<{ authorizeUrl: string; expiresAt: string }> {
  const endpoints = await oauthEndpoints(deps.config);
  const state = randomBytes(32).toString('base64url');
  const now = deps.now ?? new Date();
  const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
  await deps.connections.saveAuthorizationState({ stateHash: hashState(state), companyId: deps.companyId, userId: deps.userId ?? null, createdAt: now, expiresAt });
  return { authorizeUrl: authorizeUrl(endpoints, state), expiresAt: expiresAt.toISOString() };
}

/** SHA-256 of a state: what the database keeps, and what a web session records for the state it started. */
export function oauthStateHash(state: string): string {
  return hashState(state);
}

/**
 * Who opened the callback, for an app with sign-in: the signed-in session (null when none) with the user and the
 * hash of the state that session started. Left out by callers without sessions (tests, the CLI's harness).
 */
export type CallbackSession = { readonly userId: number; readonly startedStateHash: string | null } | null;

/**
 * The callback `GET /qbo/callback?code&state&realmId` (or `?error=access_denied&state`): checks and
 * burns the state, exchanges the code, stores the realm and the encrypted tokens. Expected failures are
 * outcomes, not throws. A state started from a signed-in session (it has a user) completes only in that same
 * session: otherwise someone else could finish the first user's authorization with their own QuickBooks
 * company. A state started by the CLI (`connect --print-url`, no user) needs no session.
 */
export async function completeConnect(
  deps: { connections: ConnectionStore; config: Config; logger: Logger; session?: CallbackSession; now?: Date },
  query: Readonly<Record<string, string | undefined>>,
): Promise<ConnectOutcome> {
  const { connections, config, logger } = deps;
  const now = deps.now ?? new Date();
  const state = query.state;
  // Burn the state first, whatever the answer: a state is good for one callback only.
  const pending = state ? await connections.consumeAuthorizationState(hashState(state), now) : null;
  if (query.error === 'access_denied') return pending ? { kind: 'denied' } : { kind: 'bad-state' };
  if (!pending) return { kind: 'bad-state' };
  if (pending.userId !== null && deps.session !== undefined) {
    const same = deps.session !== null && deps.session.userId === pending.userId && deps.session.startedStateHash === hashState(state ?? '');
    if (!same) {
      logger.warn({ companyId: pending.companyId, signedIn: deps.session !== null }, 'QuickBooks callback outside the session that started it; nothing stored');
      return { kind: 'wrong-session' };
    }
  }
  if (query.error) return { kind: 'error', message: `QuickBooks did not authorize the connection (${query.error}).` };
  const realmId = query.realmId;
  if (!query.code || !realmId) return { kind: 'error', message: 'QuickBooks sent no authorization code or company (realmId).' };

  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  try {
    const grant = await exchangeCode(await oauthEndpoints(config), params);
    const companyName = await readCompanyName(config, realmId, grant.accessToken, logger);
    const cipher = tokenCipher(config);
    const companyId = pending.companyId;
    const tokens: EncryptedTokens = {
      accessTokenEnc: cipher.encrypt(grant.accessToken, tokenAad(companyId, 'access_token')),
      refreshTokenEnc: cipher.encrypt(grant.refreshToken, tokenAad(companyId, 'refresh_token')),
      accessTokenExpiresAt: inSeconds(now, grant.expiresInS),
      refreshTokenExpiresAt: inSeconds(now, grant.refreshExpiresInS),
      hardExpiresAt: grant.hardExpiresInS === null ? null : inSeconds(now, grant.hardExpiresInS),
    };
    // Under the same lease as a refresh: a refresh running now finishes first, and its save cannot land after ours.
    const before = await underConnectionLease(connections, companyId, () => replaceConnection(connections, companyId, { realmId, companyName, tokens }, now));
    const previous = before && before.realmId !== realmId ? { realmId: before.realmId, companyName: before.companyName } : null;
    logger.info({ companyId, realmId, previousRealmId: previous?.realmId ?? null }, 'QuickBooks connected');
    return { kind: 'connected', companyId, realmId, userId: pending.userId, companyName, previous };
  } catch (error) {
    if (error instanceof OAuthError && error.oauthError === 'invalid_grant') {
      logger.warn({ companyId: pending.companyId, intuitTid: error.intuitTid }, 'authorization code refused (invalid_grant)');
      return { kind: 'invalid-grant' };
    }
    logger.error({ companyId: pending.companyId, err: { message: (error as Error).message } }, 'QuickBooks connection failed');
    return { kind: 'error', message: (error as Error).message };
  }
}

/**
 * Saves the new connection over whatever is stored now (compare-and-set on its version; the newest authorization
 * wins, so a lost race is retried on a fresh read). Returns the connection it replaced.
 */
async function replaceConnection(
  connections: ConnectionStore, companyId: number, connection: { realmId: string; companyName: string | null; tokens: EncryptedTokens }, now: Date,
): Promise<StoredConnection | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await connections.find(companyId);
    if (await connections.saveNew(companyId, { ...connection, expectedVersion: before?.version ?? null }, now)) return before;
  }
  throw new Error(`the QuickBooks connection of company ${companyId} kept changing while it was being saved`);
}

/** Names a QuickBooks company for the user: its name and realm, or the realm alone. */
export function booksName(realmId: string, companyName: string | null): string {
  return companyName ? `${companyName} (company ${realmId})` : `company ${realmId}`;
}

/** What the callback page says for each outcome (the page itself belongs to the web layer). */
export interface OutcomeMessage {
  readonly ok: boolean;
  readonly httpStatus: number;
  readonly title: string;
  readonly message: string;
}

export function describeConnectOutcome(outcome: ConnectOutcome): OutcomeMessage {
  switch (outcome.kind) {
    case 'connected':
      return {
        ok: true, httpStatus: 200, title: 'QuickBooks connected',
        message: `The QuickBooks company ${booksName(outcome.realmId, outcome.companyName)} is now connected.${outcome.previous ? ` This company exported to ${booksName(outcome.previous.realmId, outcome.previous.companyName)} before: from now on it exports to the new books, and invoices already transferred to the old books stay transferred there.` : ''} You can close this window and go back to the Sales Invoice Export page.`,
      };
    case 'denied':
      return { ok: false, httpStatus: 200, title: 'Connection not authorized', message: 'The connection to QuickBooks was cancelled, so nothing changed. To connect, start again from the QuickBooks Authentication page.' };
    case 'bad-state':
      return { ok: false, httpStatus: 400, title: 'This link is no longer valid', message: 'This QuickBooks authorization does not match a connection started here, was already used, or is older than 10 minutes. Start again from the QuickBooks Authentication page.' };
    case 'wrong-session':
      return { ok: false, httpStatus: 403, title: 'Sign in to finish connecting', message: 'This QuickBooks authorization was started from a signed-in page of qbo-export and can only be finished in that same browser session, so nothing was stored. Sign in to qbo-export (at its usual address) and press Refresh Token again on the QuickBooks Authentication page.' };
    case 'invalid-grant':
      return { ok: false, httpStatus: 400, title: 'QuickBooks refused the authorization', message: 'QuickBooks did not accept the authorization code (invalid_grant): it may have expired or been used already. Start again from the QuickBooks Authentication page.' };
    case 'error':
      return { ok: false, httpStatus: 502, title: 'Could not connect to QuickBooks', message: `${outcome.message} Try again from the QuickBooks Authentication page.` };
  }
}
