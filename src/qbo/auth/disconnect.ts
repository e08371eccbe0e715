import type { Config } from '../../config/index.ts';
import type { Logger } from '../../config/logger.ts';
import type { ConnectionStore } from './connection-store.ts';
import { tokenAad, tokenCipher } from './crypto.ts';
import { underConnectionLease } from './lease.ts';
import { oauthEndpoints, revokeToken } from './oauth.ts';
import { savePendingRotation } from './pending-rotation.ts';

export interface DisconnectResult {
  /** A connection was stored and is now forgotten. */
  readonly disconnected: boolean;
  /** Intuit confirmed the revocation (false when it could not be reached: the local connection is forgotten anyway). */
  readonly revokedAtIntuit: boolean;
}

/**
 * Disconnects the company from QuickBooks: revokes the grant at Intuit (the refresh token), then forgets
 * the stored tokens. The local row goes even when Intuit cannot be reached, so the user can always start over.
 * Under the connection lease (a refresh in flight finishes first), forgetting only the version that was revoked.
 */
export async function disconnectCompany(deps: { connections: ConnectionStore; config: Config; logger: Logger; companyId: number }): Promise<DisconnectResult> {
  const { connections, config, logger, companyId } = deps;
  return underConnectionLease(connections, companyId, async () => {
    // A rotated refresh token kept in memory is the live one: save it first, so that one is revoked.
    await savePendingRotation(connections, companyId, logger);
    const row = await connections.find(companyId);
    if (!row) return { disconnected: false, revokedAtIntuit: false };
    let revokedAtIntuit = false;
    try {
      await revokeToken(await oauthEndpoints(config), tokenCipher(config).decrypt(row.refreshTokenEnc, tokenAad(companyId, 'refresh_token')));
      revokedAtIntuit = true;
    } catch (error) {
      logger.warn({ companyId, realmId: row.realmId, err: { message: (error as Error).message } }, 'could not revoke the QuickBooks grant; forgetting it locally');
    }
    const forgotten = await connections.forget(companyId, row.version);
    logger.info({ companyId, realmId: row.realmId, revokedAtIntuit, forgotten }, 'QuickBooks disconnected');
    return { disconnected: forgotten, revokedAtIntuit };
  });
}
