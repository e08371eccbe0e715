import { QboNetworkError } from '../errors.ts';
import type { ConnectionStore } from './connection-store.ts';

/** Long enough for one token call (20 s timeout) plus the database writes. */
const LEASE_TTL_MS = 45_000;
const LEASE_WAIT_MS = 60_000;

/**
 * Runs `body` holding the company's connection lease (`token-refresh:<companyId>`): refresh, connect, reconnect and
 * disconnect all take it, so they run one after the other across processes; the version check of every save is the
 * second guard for a holder that outlived its lease.
 */
export async function underConnectionLease<T>(connections: ConnectionStore, companyId: number, body: () => Promise<T>): Promise<T> {
  const held = await connections.underRefreshLease(companyId, LEASE_TTL_MS, LEASE_WAIT_MS, body);
  if (!held.acquired) {
    throw new QboNetworkError({ qboCode: 'REFRESH_LEASE', message: `Another process kept the QuickBooks connection of company ${companyId} busy for over ${LEASE_WAIT_MS / 1000} s` });
  }
  return held.value;
}
