import type { Config } from '../config/index.ts';
import type { Logger } from '../config/logger.ts';
import type { ConnectionStore } from './auth/connection-store.ts';
import { CompanyTokenSource } from './auth/token-store.ts';
import { tokenAad, tokenCipher } from './auth/crypto.ts';
import { decideToken, reconnectReasonOf } from './auth/lifetimes.ts';
import { timesOf } from './auth/token-store.ts';
import { createQboClient } from './client.ts';
import { ReconnectRequiredError } from './errors.ts';
import { sharedRealmLimiter } from './limiter.ts';
import type { FetchLike, QboClient, RetryPolicy } from './types.ts';

/**
 * The client for a company's connected realm: encrypted token store, refresh, and the process-wide
 * per-realm limiter. Throws ReconnectRequiredError when the company is not (or no longer) connected.
 */
export async function qboClientForCompany(deps: {
  connections: ConnectionStore; config: Config; companyId: number; logger: Logger; fetch?: FetchLike; retry?: Partial<RetryPolicy>;
}): Promise<QboClient> {
  const row = await deps.connections.find(deps.companyId);
  const decision = decideToken(row ? timesOf(row) : null, new Date());
  if (!row) throw new ReconnectRequiredError(deps.companyId, 'not-connected');
  if (decision.action === 'reconnect') {
    throw new ReconnectRequiredError(deps.companyId, reconnectReasonOf(decision));
  }
  // A key that cannot open the tokens is the operator's to fix (TokenDecryptError), not a dead grant: say so first.
  tokenCipher(deps.config).decrypt(row.refreshTokenEnc, tokenAad(deps.companyId, 'refresh_token'));
  return createQboClient({
    apiBase: deps.config.qbo.apiBase,
    realmId: row.realmId,
    tokens: new CompanyTokenSource({ connections: deps.connections, config: deps.config, companyId: deps.companyId, logger: deps.logger }),
    limiter: sharedRealmLimiter(),
    logger: deps.logger.child({ companyId: deps.companyId, realmId: row.realmId }),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
}
