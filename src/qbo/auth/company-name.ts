import type { Config } from '../../config/index.ts';
import type { Logger } from '../../config/logger.ts';
import { createQboClient } from '../client.ts';
import { sharedRealmLimiter } from '../limiter.ts';

/**
 * QuickBooks' name of the company just authorized (CompanyInfo.CompanyName, GET /companyinfo/{realmId}), read with
 * the new access token so the pages can name the books a reconnect switches between. The connection does not
 * depend on it: a failure is logged and gives null (the pages then show the realm id alone).
 */
export async function readCompanyName(config: Config, realmId: string, accessToken: string, logger: Logger): Promise<string | null> {
  const tokens = {
    accessToken: () => Promise.resolve(accessToken),
    afterUnauthorized: () => Promise.reject(new Error('the access token of a new grant was refused')),
  };
  try {
    const client = createQboClient({ apiBase: config.qbo.apiBase, realmId, tokens, logger, limiter: sharedRealmLimiter(), retry: { maxAttempts: 2 }, timeoutMs: 15_000 });
    return (await client.companyInfo()).CompanyName ?? null;
  } catch (error) {
    logger.warn({ realmId, err: { message: (error as Error).message } }, 'could not read the QuickBooks company name');
    return null;
  }
}
