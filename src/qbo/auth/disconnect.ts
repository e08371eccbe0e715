import type { Config } from '../../config/index.ts';
import type { Logger } from '../../config/logger.ts';
// eslint-disable-next-line layers/imports -- until qbo/auth reads connections through ConnectionStore (issue 17)
import type { Db } from '../../store/db.ts';
// eslint-disable-next-line layers/imports -- until qbo/auth reads connections through ConnectionStore (issue 17)
import { deleteConnection, findConnection } from '../../store/connections/repository.ts';
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
export async function disconnectCompany(deps: { db: Db; config: Config; logger: Logger; companyId: number }): Promise<DisconnectResult> {
  const { db, config, logger, companyId } = deps;
  const row = await findConnection(db.kysely, companyId);
  if (!row) return { disconnected: false, revokedAtIntuit: false };
  let revokedAtIntuit = false;
  try {
    await revokeToken(await oauthEndpoints(config), tokenCipher(config.appSecret).decrypt(row.refresh_token_enc));
    revokedAtIntuit = true;
  } catch (error) {
    logger.warn({ companyId, realmId: row.realm_id, err: { message: (error as Error).message } }, 'could not revoke the QuickBooks grant; forgetting it locally');
  }
  await deleteConnection(db.kysely, companyId);
  logger.info({ companyId, realmId: row.realm_id, revokedAtIntuit }, 'QuickBooks disconnected');
  return { disconnected: true, revokedAtIntuit };
}
