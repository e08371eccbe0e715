import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { captureLogger, startQboHarness, type QboHarness } from './support/qbo-harness.ts';
import { upsertCompany } from '../src/store/erp/companies.ts';

const run = promisify(execFile);

/** `qbo-export connect` and `qbo-export connection` as a user runs them (bin/qbo-export, real process). */
void describe('qbo-export connect / connection', () => {
  let tdb: TestDatabase;
  let h: QboHarness;
  const cli = (...args: string[]) => run(process.execPath, ['bin/qbo-export', ...args], { env: { ...process.env, ...h.env, LOG_LEVEL: 'warn' } });

  before(async () => {
    tdb = await createTestDatabase('sqlite');
    h = await startQboHarness(() => tdb.db, () => tdb.url, captureLogger().logger);
    await upsertCompany(tdb.db.kysely, { code: 'ACME', name: 'Acme Manufacturing', qbPrimaryCompany: true });
  });
  after(async () => {
    await h.close();
    await tdb.destroy();
  });

  void it('before connecting: connection --json says so; connect explains the callback; unknown company exits 2', async () => {
    // Independent runs in parallel: each CLI start costs a few seconds.
    const [json, human, unknown] = await Promise.all([
      cli('connection', '--company', 'ACME', '--json'),
      cli('connect', '--company', 'ACME'),
      cli('connection', '--company', 'NOPE').then(() => null, (error: { code?: number; stderr?: string }) => error),
    ]);
    const status = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal(status.company, 'ACME');
    assert.equal(status.connected, false);
    assert.equal(status.needsReconnect, true);
    assert.match(human.stdout, /Open this URL/);
    assert.ok(human.stdout.includes(`${h.config.publicUrl}/qbo/callback`));
    assert.equal(unknown?.code, 2);
    assert.match(unknown?.stderr ?? '', /Company NOPE not found/);
  });

  void it('connect --print-url prints only the authorize URL; completing it shows up in connection', async () => {
    const { stdout } = await cli('connect', '--company', 'ACME', '--print-url');
    const url = new URL(stdout.trim());
    assert.equal(url.searchParams.get('redirect_uri'), `${h.config.publicUrl}/qbo/callback`);
    const redirect = await fetch(url, { redirect: 'manual' });
    const page = await (await fetch(redirect.headers.get('location') ?? '')).text();
    assert.match(page, /data-outcome="connected"/);
    const { stdout: human } = await cli('connection', '--company', 'ACME');
    assert.match(human, /ACME: connected to QuickBooks/);
    assert.match(human, new RegExp(`Realm \\(company id\\)\\s+${h.emulator.defaultRealmId}`));
    assert.match(human, /Needs reconnect\s+no/);
  });
});
