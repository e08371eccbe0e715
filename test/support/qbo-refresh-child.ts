/**
 * A second process for the token-refresh race test (test/qbo-connection.test.ts): prints `ready`, waits
 * for `go` on stdin (so that both processes call at the same moment), then calls QBO for COMPANY_ID
 * through the real client and prints one JSON line.
 */
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/config/logger.ts';
import { openDatabase } from '../../src/store/db.ts';
import { qboClientForCompany } from '../../src/qbo/index.ts';
import { connectionStore } from '../../src/export/connections.ts';

const config = loadConfig(process.env);
const logger = createLogger('debug', 'refresh-child');
const db = openDatabase(config.databaseUrl);
try {
  const client = await qboClientForCompany({ connections: connectionStore(db), config, companyId: Number(process.env.COMPANY_ID), logger });
  console.log('ready');
  await new Promise<void>((resolve) => {
    process.stdin.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('go')) resolve();
    });
  });
  process.stdin.pause();
  const results = await Promise.all([client.companyInfo(), client.preferences()]);
  console.log(JSON.stringify({ ok: true, companyName: results[0].CompanyName ?? null }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: (error as Error).message }));
  process.exitCode = 1;
} finally {
  await db.close();
}
