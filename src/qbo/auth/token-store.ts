import type { Config } from '../../config/index.ts';
import type { Logger } from '../../config/logger.ts';
import { QboNetworkError, ReconnectRequiredError, UNAUTHORIZED_MESSAGE } from '../errors.ts';
import type { TokenSource } from '../types.ts';
import { tokenAad, tokenCipher, type TokenCipher } from './crypto.ts';
import type { ConnectionStore, EncryptedTokens, StoredConnection } from './connection-store.ts';
import { underConnectionLease } from './lease.ts';
import { decideToken, inSeconds, reconnectReasonOf, type TokenTimes } from './lifetimes.ts';
import { oauthEndpoints, OAuthError, refreshGrant } from './oauth.ts';
import { keepRotation, savePendingRotation } from './pending-rotation.ts';

export interface TokenStoreDeps {
  readonly connections: ConnectionStore;
  readonly config: Config;
  readonly companyId: number;
  readonly logger: Logger;
  readonly now?: () => Date;
}

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
    this.cipher = tokenCipher(deps.config);
    this.now = deps.now ?? (() => new Date());
  }

  async accessToken(): Promise<string> {
    await savePendingRotation(this.deps.connections, this.deps.companyId, this.deps.logger);
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

  private async remember(row: StoredConnection): Promise<string> {
    const { connections, companyId } = this.deps;
    const access = this.cipher.open(row.accessTokenEnc, tokenAad(companyId, 'access_token'));
    const refresh = this.cipher.open(row.refreshTokenEnc, tokenAad(companyId, 'refresh_token'));
    if (access.stale || refresh.stale) {
      // Sealed with APP_SECRET_PREVIOUS or before the row binding: sealed again now, so the old secret can go.
      const resealed = await connections.reseal(companyId, row.version, {
        accessTokenEnc: this.cipher.encrypt(access.plain, tokenAad(companyId, 'access_token')),
        refreshTokenEnc: this.cipher.encrypt(refresh.plain, tokenAad(companyId, 'refresh_token')),
      }, this.now());
      this.deps.logger.info({ companyId, resealed }, 'QuickBooks tokens re-encrypted with the current APP_SECRET');
    }
    this.cached = { token: access.plain, times: timesOf(row) };
    return access.plain;
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
    return underConnectionLease(connections, companyId, async () => {
      await savePendingRotation(connections, companyId, logger);
      // Re-read under the lease: another process may have refreshed while we waited.
      const row = await connections.find(companyId);
      const current = row ? this.cipher.decrypt(row.accessTokenEnc, tokenAad(companyId, 'access_token')) : null;
      const decision = decideToken(row ? timesOf(row) : null, this.now(), rejected !== null && current === rejected);
      if (decision.action === 'reconnect') throw new ReconnectRequiredError(companyId, reconnectReasonOf(decision));
      if (decision.action === 'use' && row) {
        logger.debug({ companyId }, 'access token already refreshed by another caller');
        return this.remember(row);
      }
      if (!row) throw new ReconnectRequiredError(companyId, 'not-connected');
      return this.runRefresh(row, decision.reason);
    });
  }

  private async runRefresh(row: StoredConnection, reason: string): Promise<string> {
    const { connections, config, companyId, logger } = this.deps;
    const endpoints = await oauthEndpoints(config);
    let grant;
    try {
      grant = await refreshGrant(endpoints, this.cipher.decrypt(row.refreshTokenEnc, tokenAad(companyId, 'refresh_token')));
    } catch (error) {
      if (error instanceof OAuthError && error.oauthError === 'invalid_grant') {
        // The grant is gone (revoked, disconnected, superseded or expired): only the user can fix it.
        await connections.markNeedsReconnect(companyId, row.version, UNAUTHORIZED_MESSAGE, this.now());
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
    const tokens: EncryptedTokens = {
      accessTokenEnc: this.cipher.encrypt(grant.accessToken, tokenAad(companyId, 'access_token')),
      refreshTokenEnc: this.cipher.encrypt(grant.refreshToken, tokenAad(companyId, 'refresh_token')),
      accessTokenExpiresAt: inSeconds(now, grant.expiresInS),
      refreshTokenExpiresAt: inSeconds(now, grant.refreshExpiresInS),
      ...(grant.hardExpiresInS !== null ? { hardExpiresAt: inSeconds(now, grant.hardExpiresInS) } : {}),
    };
    // Saved before the new access token is used: the old refresh token may already be dead at Intuit.
    let saved: boolean;
    try {
      saved = await connections.saveRefreshed(companyId, row.version, tokens, now);
    } catch (error) {
      keepRotation(connections, companyId, { baseVersion: row.version, tokens, at: now });
      logger.error({ companyId, realmId: row.realmId, err: { message: (error as Error).message } }, 'could not save the rotated refresh token; kept in memory until it is saved');
      throw error;
    }
    if (saved) logger.info({ companyId, realmId: row.realmId, reason }, 'QuickBooks access token refreshed');
    else logger.warn({ companyId, realmId: row.realmId }, 'the connection changed while refreshing (reconnect or disconnect); the newer connection wins');
    const current = await connections.find(companyId);
    const decision = decideToken(current ? timesOf(current) : null, this.now());
    if (!current || decision.action === 'reconnect') throw new ReconnectRequiredError(companyId, decision.action === 'reconnect' ? reconnectReasonOf(decision) : 'not-connected');
    return this.remember(current);
  }
}
