import type { Config } from '../../config/index.ts';
import type { Logger } from '../../config/logger.ts';
import { QboNetworkError, ReconnectRequiredError, UNAUTHORIZED_MESSAGE } from '../errors.ts';
import type { TokenSource } from '../types.ts';
import { tokenCipher, type TokenCipher } from './crypto.ts';
import type { ConnectionStore, StoredConnection } from './connection-store.ts';
import { decideToken, inSeconds, reconnectReasonOf, type TokenTimes } from './lifetimes.ts';
import { oauthEndpoints, OAuthError, refreshGrant } from './oauth.ts';

export interface TokenStoreDeps {
  readonly connections: ConnectionStore;
  readonly config: Config;
  readonly companyId: number;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** Lease long enough for one token call (20 s timeout) plus the database writes. */
const LEASE_TTL_MS = 45_000;
const LEASE_WAIT_MS = 60_000;

/** One refresh per company per process at a time; the database lease extends that across processes. */
const inFlight = new WeakMap<ConnectionStore, Map<number, Promise<string>>>();

export function timesOf(connection: StoredConnection): TokenTimes {
  const { needsReconnect, accessTokenExpiresAt, refreshTokenExpiresAt, hardExpiresAt } = connection;
  return { needsReconnect, accessTokenExpiresAt, refreshTokenExpiresAt, hardExpiresAt };
}

/**
 * The company's bearer tokens from the encrypted store: refreshed ahead of expiry and once after a 401,
 * one refresh at a time (docs/design.md rule 11), the rotated refresh token saved before the new access
 * token is handed out. A dead grant marks the connection and throws ReconnectRequiredError.
 */
export class CompanyTokenSource implements TokenSource {
  private readonly cipher: TokenCipher;
  private readonly now: () => Date;
  private cached: { token: string; times: TokenTimes } | null = null;

  constructor(private readonly deps: TokenStoreDeps) {
    this.cipher = tokenCipher(deps.config.appSecret);
    this.now = deps.now ?? (() => new Date());
  }

  async accessToken(): Promise<string> {
    if (this.cached && decideToken(this.cached.times, this.now()).action === 'use') return this.cached.token;
    const row = await this.deps.connections.find(this.deps.companyId);
    const decision = decideToken(row ? timesOf(row) : null, this.now());
    if (decision.action === 'reconnect') throw new ReconnectRequiredError(this.deps.companyId, reconnectReasonOf(decision));
    if (decision.action === 'use' && row) return this.remember(row);
    return this.refresh(null);
  }

  async afterUnauthorized(rejected: string): Promise<string> {
    return this.refresh(rejected);
  }

  private remember(row: StoredConnection): string {
    const token = this.cipher.decrypt(row.accessTokenEnc);
    this.cached = { token, times: timesOf(row) };
    return token;
  }

  /** Joins a refresh already running in this process for the company, or runs one. */
  private refresh(rejected: string | null): Promise<string> {
    const { companyId, connections } = this.deps;
    let running = inFlight.get(connections);
    if (!running) {
      running = new Map();
      inFlight.set(connections, running);
    }
    const forDb = running;
    let pending = forDb.get(companyId);
    if (!pending) {
      pending = this.refreshUnderLease(rejected).finally(() => forDb.delete(companyId));
      forDb.set(companyId, pending);
    }
    return pending;
  }

  private async refreshUnderLease(rejected: string | null): Promise<string> {
    const { connections, companyId, logger } = this.deps;
    this.cached = null;
    const held = await connections.underRefreshLease(companyId, LEASE_TTL_MS, LEASE_WAIT_MS, async () => {
      // Re-read under the lease: another process may have refreshed while we waited.
      const row = await connections.find(companyId);
      const current = row ? this.cipher.decrypt(row.accessTokenEnc) : null;
      const decision = decideToken(row ? timesOf(row) : null, this.now(), rejected !== null && current === rejected);
      if (decision.action === 'reconnect') throw new ReconnectRequiredError(companyId, reconnectReasonOf(decision));
      if (decision.action === 'use' && row) {
        logger.debug({ companyId }, 'access token already refreshed by another caller');
        return this.remember(row);
      }
      if (!row) throw new ReconnectRequiredError(companyId, 'not-connected');
      return this.runRefresh(row, decision.reason);
    });
    if (!held.acquired) {
      throw new QboNetworkError({ qboCode: 'REFRESH_LEASE', message: `Another process kept the token refresh of company ${companyId} for over ${LEASE_WAIT_MS / 1000} s` });
    }
    return held.value;
  }

  private async runRefresh(row: StoredConnection, reason: string): Promise<string> {
    const { connections, config, companyId, logger } = this.deps;
    const endpoints = await oauthEndpoints(config);
    let grant;
    try {
      grant = await refreshGrant(endpoints, this.cipher.decrypt(row.refreshTokenEnc));
    } catch (error) {
      if (error instanceof OAuthError && error.oauthError === 'invalid_grant') {
        // The grant is gone (revoked, disconnected, superseded or expired): only the user can fix it.
        await connections.markNeedsReconnect(companyId, UNAUTHORIZED_MESSAGE, this.now());
        logger.warn({ companyId, realmId: row.realmId, intuitTid: error.intuitTid }, 'QuickBooks refused the refresh token (invalid_grant); reconnect needed');
        throw new ReconnectRequiredError(companyId, 'invalid-grant', { cause: error });
      }
      throw new QboNetworkError({
        qboCode: error instanceof OAuthError ? (error.oauthError ?? 'OAUTH') : 'OAUTH',
        message: error instanceof Error ? error.message : 'The token refresh failed',
        intuitTid: error instanceof OAuthError ? error.intuitTid : null,
        cause: error,
      });
    }
    const now = this.now();
    // Saved before the new access token is used: the old refresh token may already be dead at Intuit.
    await connections.saveRefreshed(companyId, {
      accessTokenEnc: this.cipher.encrypt(grant.accessToken),
      refreshTokenEnc: this.cipher.encrypt(grant.refreshToken),
      accessTokenExpiresAt: inSeconds(now, grant.expiresInS),
      refreshTokenExpiresAt: inSeconds(now, grant.refreshExpiresInS),
      ...(grant.hardExpiresInS !== null ? { hardExpiresAt: inSeconds(now, grant.hardExpiresInS) } : {}),
    }, now);
    logger.info({ companyId, realmId: row.realmId, reason }, 'QuickBooks access token refreshed');
    const saved = await connections.find(companyId);
    if (!saved) throw new ReconnectRequiredError(companyId, 'not-connected');
    return this.remember(saved);
  }
}
