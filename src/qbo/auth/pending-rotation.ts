import type { Logger } from '../../config/logger.ts';
import type { ConnectionStore, EncryptedTokens } from './connection-store.ts';

/**
 * Rotated refresh tokens whose save failed (database unreachable for a moment), per process and company. Intuit may
 * already have retired the old refresh token, so the rotated one is the only live key to the grant: it is kept here
 * and saved before any other use of the connection (`savePendingRotation`), at the version it was refreshed from.
 */
interface PendingRotation {
  readonly baseVersion: number;
  readonly tokens: EncryptedTokens;
  readonly at: Date;
}

const pending = new WeakMap<ConnectionStore, Map<number, PendingRotation>>();

function ofStore(connections: ConnectionStore): Map<number, PendingRotation> {
  let map = pending.get(connections);
  if (!map) pending.set(connections, (map = new Map<number, PendingRotation>()));
  return map;
}

export function keepRotation(connections: ConnectionStore, companyId: number, rotation: PendingRotation): void {
  ofStore(connections).set(companyId, rotation);
}

export function hasPendingRotation(connections: ConnectionStore, companyId: number): boolean {
  return ofStore(connections).has(companyId);
}

/**
 * Saves the company's kept rotation, if any. Throws (keeping it) when the database still fails. A connection changed
 * since (reconnect, disconnect) supersedes it: it is dropped, never written over the newer one.
 */
export async function savePendingRotation(connections: ConnectionStore, companyId: number, logger: Logger): Promise<void> {
  const map = ofStore(connections);
  const rotation = map.get(companyId);
  if (!rotation) return;
  const saved = await connections.saveRefreshed(companyId, rotation.baseVersion, rotation.tokens, rotation.at);
  map.delete(companyId);
  if (saved) logger.info({ companyId }, 'rotated QuickBooks refresh token saved after an earlier failed save');
  else logger.warn({ companyId }, 'a kept rotated refresh token was superseded by a newer connection; dropped');
}
