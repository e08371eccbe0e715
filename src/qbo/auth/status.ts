import type { ConnectionStore } from './connection-store.ts';
import { UNAUTHORIZED_MESSAGE } from '../errors.ts';
import { daysUntilRefreshExpiry, decideToken, expiryWarning } from './lifetimes.ts';
import { timesOf } from './token-store.ts';

export type ReconnectReasonCode = 'not-connected' | 'marked-needs-reconnect' | 'refresh-expired' | 'hard-expired';

/** What the connection page and `qbo-export connection` show. Times are ISO UTC strings. */
export interface ConnectionStatus {
  readonly companyId: number;
  readonly connected: boolean;
  readonly realmId: string | null;
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

export async function getConnectionStatus(connections: ConnectionStore, companyId: number, now: Date = new Date()): Promise<ConnectionStatus> {
  const row = await connections.find(companyId);
  if (!row) {
    return {
      companyId, connected: false, realmId: null, connectedAt: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null,
      hardExpiresAt: null, lastRefreshAt: null, needsReconnect: true, reason: UNAUTHORIZED_MESSAGE, reasonCode: 'not-connected',
      daysUntilRefreshExpiry: null,
    };
  }
  const times = timesOf(row);
  const decision = decideToken(times, now);
  const needsReconnect = decision.action === 'reconnect';
  const warning = expiryWarning(times, now);
  return {
    companyId,
    connected: !needsReconnect,
    realmId: row.realmId,
    connectedAt: row.connectedAt.toISOString(),
    accessTokenExpiresAt: row.accessTokenExpiresAt.toISOString(),
    refreshTokenExpiresAt: row.refreshTokenExpiresAt.toISOString(),
    hardExpiresAt: row.hardExpiresAt?.toISOString() ?? null,
    lastRefreshAt: row.lastRefreshAt?.toISOString() ?? null,
    needsReconnect,
    reason: needsReconnect ? (row.reconnectReason ?? UNAUTHORIZED_MESSAGE) : null,
    reasonCode: decision.action === 'reconnect' ? decision.reason : null,
    daysUntilRefreshExpiry: daysUntilRefreshExpiry(times, now),
    ...(warning && !needsReconnect ? { warning } : {}),
  };
}
