import type { ConnectionStore } from './connection-store.ts';
import { UNAUTHORIZED_MESSAGE } from '../errors.ts';
import { daysUntilRefreshExpiry, decideToken, expiryWarning } from './lifetimes.ts';
import { timesOf } from './token-store.ts';
import { SECRET_MISMATCH_MESSAGE, tokenAad, tokenCipher, type TokenSecrets } from './crypto.ts';

export type ReconnectReasonCode = 'not-connected' | 'marked-needs-reconnect' | 'refresh-expired' | 'hard-expired' | 'secret-mismatch';

/** What the connection page and `qbo-export connection` show. Times are ISO UTC strings. */
export interface ConnectionStatus {
  readonly companyId: number;
  readonly connected: boolean;
  readonly realmId: string | null;
  /** QuickBooks' CompanyInfo.CompanyName of the realm, read at connect. */
  readonly companyName: string | null;
  /** After a reconnect to other books, until the next run noted it: the books before. */
  readonly previousRealmId: string | null;
  readonly previousCompanyName: string | null;
  readonly connectedAt: string | null;
  readonly accessTokenExpiresAt: string | null;
  readonly refreshTokenExpiresAt: string | null;
  readonly hardExpiresAt: string | null;
  readonly lastRefreshAt: string | null;
  readonly needsReconnect: boolean;
  /** The seed's sentence whenever a reconnect is needed, null otherwise. */
  readonly reason: string | null;
  readonly reasonCode: ReconnectReasonCode | null;
  readonly daysUntilRefreshExpiry: number | null;
  /** Set when fewer than 14 days remain. */
  readonly warning?: string;
}

/** The stored tokens open with the configured secrets (they do not after APP_SECRET changed without a rotation). */
function tokensOpen(secrets: TokenSecrets, companyId: number, sealed: string): boolean {
  try {
    tokenCipher(secrets).decrypt(sealed, tokenAad(companyId, 'refresh_token'));
    return true;
  } catch {
    return false;
  }
}

/** `secrets` are the configured APP_SECRET(s): a connection whose tokens they cannot open needs a reconnect, and says why. */
export async function getConnectionStatus(connections: ConnectionStore, companyId: number, secrets: TokenSecrets, now: Date = new Date()): Promise<ConnectionStatus> {
  const row = await connections.find(companyId);
  if (!row) {
    return {
      companyId, connected: false, realmId: null, companyName: null, previousRealmId: null, previousCompanyName: null, connectedAt: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null,
      hardExpiresAt: null, lastRefreshAt: null, needsReconnect: true, reason: UNAUTHORIZED_MESSAGE, reasonCode: 'not-connected',
      daysUntilRefreshExpiry: null,
    };
  }
  const times = timesOf(row);
  const decision = decideToken(times, now);
  const unreadable = !tokensOpen(secrets, companyId, row.refreshTokenEnc);
  const needsReconnect = decision.action === 'reconnect' || unreadable;
  const warning = expiryWarning(times, now);
  return {
    companyId,
    connected: !needsReconnect,
    realmId: row.realmId,
    companyName: row.companyName,
    previousRealmId: row.previousRealmId,
    previousCompanyName: row.previousCompanyName,
    connectedAt: row.connectedAt.toISOString(),
    accessTokenExpiresAt: row.accessTokenExpiresAt.toISOString(),
    refreshTokenExpiresAt: row.refreshTokenExpiresAt.toISOString(),
    hardExpiresAt: row.hardExpiresAt?.toISOString() ?? null,
    lastRefreshAt: row.lastRefreshAt?.toISOString() ?? null,
    needsReconnect,
    reason: unreadable ? SECRET_MISMATCH_MESSAGE : needsReconnect ? (row.reconnectReason ?? UNAUTHORIZED_MESSAGE) : null,
    reasonCode: unreadable ? 'secret-mismatch' : decision.action === 'reconnect' ? decision.reason : null,
    daysUntilRefreshExpiry: daysUntilRefreshExpiry(times, now),
    ...(warning && !needsReconnect ? { warning } : {}),
  };
}
