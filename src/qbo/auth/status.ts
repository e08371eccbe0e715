// eslint-disable-next-line layers/imports -- until qbo/auth reads connections through ConnectionStore (issue 17)
import type { Db } from '../../store/db.ts';
// eslint-disable-next-line layers/imports -- until qbo/auth reads connections through ConnectionStore (issue 17)
import { findConnection } from '../../store/connections/repository.ts';
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

export async function getConnectionStatus(db: Db, companyId: number, now: Date = new Date()): Promise<ConnectionStatus> {
  const row = await findConnection(db.kysely, companyId);
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
    realmId: row.realm_id,
    connectedAt: row.connected_at,
    accessTokenExpiresAt: row.access_token_expires_at,
    refreshTokenExpiresAt: row.refresh_token_expires_at,
    hardExpiresAt: row.hard_expires_at,
    lastRefreshAt: row.last_refresh_at,
    needsReconnect,
    reason: needsReconnect ? (row.reconnect_reason ?? UNAUTHORIZED_MESSAGE) : null,
    reasonCode: decision.action === 'reconnect' ? decision.reason : null,
    daysUntilRefreshExpiry: daysUntilRefreshExpiry(times, now),
    ...(warning && !needsReconnect ? { warning } : {}),
  };
}
