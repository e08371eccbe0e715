import { beginConnect, getConnectionStatus, oauthStateHash, type ReconnectReasonCode } from '../qbo/index.ts';
import { setOAuthStateHash } from '../store/web/sessions.ts';
import type { WebDeps } from './deps.ts';
import { connectionStore } from '../export/connections.ts';

/** What the pages show about a company's QuickBooks connection (from the QBO layer's status). */
export interface ConnectionView {
  readonly connected: boolean;
  readonly realmId: string | null;
  /** QuickBooks' name of the connected company (CompanyInfo.CompanyName). */
  readonly companyName: string | null;
  /** After a reconnect to other books (until the next run noted it): the books before. */
  readonly previousRealmId: string | null;
  readonly previousCompanyName: string | null;
  readonly needsReconnect: boolean;
  readonly reason: string | null;
  readonly reasonCode: ReconnectReasonCode | null;
  readonly lastRefreshAt: string | null;
  readonly accessTokenExpiresAt: string | null;
  readonly refreshTokenExpiresAt: string | null;
  readonly hardExpiresAt: string | null;
  readonly daysUntilRefreshExpiry: number | null;
  readonly warning: string | null;
}

export const notConnected: ConnectionView = {
  connected: false, realmId: null, companyName: null, previousRealmId: null, previousCompanyName: null,
  needsReconnect: true, reason: 'Not connected to QuickBooks yet.', reasonCode: 'not-connected',
  lastRefreshAt: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null, hardExpiresAt: null,
  daysUntilRefreshExpiry: null, warning: null,
};

export async function connectionOf(deps: WebDeps, companyId: number): Promise<ConnectionView> {
  const s = await getConnectionStatus(connectionStore(deps.db), companyId, deps.config, deps.now?.() ?? new Date());
  if (s.reasonCode === 'not-connected') return notConnected;
  return {
    // A connection exists (it may still need a reconnect): the badge tells the two apart.
    connected: true,
    realmId: s.realmId, companyName: s.companyName, previousRealmId: s.previousRealmId, previousCompanyName: s.previousCompanyName,
    needsReconnect: s.needsReconnect, reason: s.reason, reasonCode: s.reasonCode, lastRefreshAt: s.lastRefreshAt,
    accessTokenExpiresAt: s.accessTokenExpiresAt, refreshTokenExpiresAt: s.refreshTokenExpiresAt, hardExpiresAt: s.hardExpiresAt,
    daysUntilRefreshExpiry: s.daysUntilRefreshExpiry, warning: s.warning ?? null,
  };
}

/**
 * Starts Intuit's authorization for the company from a signed-in session; the browser is sent to the returned
 * URL. The session records the state, so that only this session can complete it at the callback.
 */
export async function startConnect(deps: WebDeps, companyId: number, session: { userId: number; sessionIdHash: string }): Promise<{ authorizeUrl: string }> {
  const started = await beginConnect({ connections: connectionStore(deps.db), config: deps.config, companyId, userId: session.userId });
  const state = new URL(started.authorizeUrl).searchParams.get('state');
  if (!state) throw new Error('the authorize URL carries no state');
  await setOAuthStateHash(deps.db.kysely, session.sessionIdHash, oauthStateHash(state));
  return started;
}
