import type { Config } from '../../config/index.ts';
import type { Logger } from '../../config/logger.ts';
import type { ConnectionStore } from './connection-store.ts';
import { tokenCipher } from './crypto.ts';
import { oauthEndpoints, revokeToken } from './oauth.ts';

export interface DisconnectResult {
  /** A connection was stored and is now forgotten. */
  readonly disconnected: boolean;
  /** Intuit confirmed the revocation (false when it could not be reached: the local connection is forgotten anyway). */
  readonly revokedAtIntuit: boolean;
}

/**
 * Disconnects the company from QuickBooks: revokes the grant at Intuit (the refresh token), then forgets
 * the stored tokens. The local row goes even when Intuit cannot be reached, so the user can always start over.
 */
export async function disconnectCompany(deps: { connections: ConnectionStore; config: Config; logger: Logger; companyId: number }): Promise<DisconnectResult> {
  const { connections, config, logger, companyId } = deps;
  const row = await connections.find(companyId);
  if (!row) return { disconnected: false, revokedAtIntuit: false };
  let revokedAtIntuit = false;
  try {
    await revokeToken(await oauthEndpoints(config), tokenCipher(config.appSecret).decrypt(row.refreshTokenEnc));
    revokedAtIntuit = true;
  } catch (error) {
    logger.warn({ companyId, realmId: row.realmId, err: { message: (error as Error).message } }, 'could not revoke the QuickBooks grant; forgetting it locally');
  }
  await connections.forget(companyId);
  logger.info({ companyId, realmId: row.realmId, revokedAtIntuit }, 'QuickBooks disconnected');
  return { disconnected: true, revokedAtIntuit };
}
