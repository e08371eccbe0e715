import type { Config } from '../config/index.ts';
import type { Logger } from '../config/logger.ts';
// eslint-disable-next-line layers/imports -- until qbo/auth reads connections through ConnectionStore (issue 17)
import type { Db } from '../store/db.ts';
// eslint-disable-next-line layers/imports -- until qbo/auth reads connections through ConnectionStore (issue 17)
import { findConnection } from '../store/connections/repository.ts';
import { CompanyTokenSource } from './auth/token-store.ts';
import { decideToken } from './auth/lifetimes.ts';
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
  db: Db; config: Config; companyId: number; logger: Logger; fetch?: FetchLike; retry?: Partial<RetryPolicy>;
}): Promise<QboClient> {
  const row = await findConnection(deps.db.kysely, deps.companyId);
  const decision = decideToken(row ? timesOf(row) : null, new Date());
  if (!row) throw new ReconnectRequiredError(deps.companyId, 'not-connected');
  if (decision.action === 'reconnect') {
    throw new ReconnectRequiredError(deps.companyId, decision.reason === 'marked-needs-reconnect' ? 'invalid-grant' : decision.reason === 'not-connected' ? 'not-connected' : decision.reason);
  }
  return createQboClient({
    apiBase: deps.config.qbo.apiBase,
    realmId: row.realm_id,
    tokens: new CompanyTokenSource({ db: deps.db, config: deps.config, companyId: deps.companyId, logger: deps.logger }),
    limiter: sharedRealmLimiter(),
    logger: deps.logger.child({ companyId: deps.companyId, realmId: row.realm_id }),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
}
