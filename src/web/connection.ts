import { UnavailableError } from './errors.ts';
import type { WebDeps } from './deps.ts';

/** What the pages show about a company's QuickBooks connection (from the QBO layer's status). */
export interface ConnectionView {
  readonly connected: boolean;
  readonly realmId: string | null;
  readonly needsReconnect: boolean;
  readonly reason: string | null;
  readonly lastRefreshAt: string | null;
  readonly accessTokenExpiresAt: string | null;
  readonly refreshTokenExpiresAt: string | null;
  readonly hardExpiresAt: string | null;
  readonly daysUntilRefreshExpiry: number | null;
  readonly warning: string | null;
}

export const notConnected: ConnectionView = {
  connected: false, realmId: null, needsReconnect: true, reason: 'Not connected to QuickBooks yet.',
  lastRefreshAt: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null, hardExpiresAt: null,
  daysUntilRefreshExpiry: null, warning: null,
};

export async function connectionOf(_deps: WebDeps, _companyId: number): Promise<ConnectionView> {
  return notConnected;
}

/** Starts Intuit's authorization for the company; the browser is sent to the returned URL. */
export async function startConnect(_deps: WebDeps, _companyId: number, _userId: number): Promise<{ authorizeUrl: string }> {
  throw new UnavailableError('Connecting to QuickBooks is not available in this build yet.');
}
