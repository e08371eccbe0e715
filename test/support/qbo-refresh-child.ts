/**
 * A second process for the token-refresh race test (test/qbo-connection.test.ts): waits until START_AT,
 * then calls QBO for COMPANY_ID through the real client, and prints one JSON line.
 */
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/config/logger.ts';
import { openDatabase } from '../../src/store/db.ts';
import { qboClientForCompany } from '../../src/qbo/index.ts';

const config = loadConfig(process.env);
const logger = createLogger('debug', 'refresh-child');
const db = openDatabase(config.databaseUrl);
try {
  const client = await qboClientForCompany({ db, config, companyId: Number(process.env.COMPANY_ID), logger });
  const wait = Number(process.env.START_AT) - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const results = await Promise.all([client.companyInfo(), client.preferences()]);
  console.log(JSON.stringify({ ok: true, companyName: results[0].CompanyName ?? null }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: (error as Error).message }));
  process.exitCode = 1;
} finally {
  await db.close();
}
