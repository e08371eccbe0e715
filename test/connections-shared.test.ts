import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { it } from 'node:test';
import { loadConfig } from '../src/config/index.ts';
import { connectionStore } from '../src/export/connections.ts';
import { runExport } from '../src/export/index.ts';
import { tokenAad, tokenCipher } from '../src/qbo/auth/crypto.ts';
import { CompanyTokenSource, qboClientForCompany, SECRET_MISMATCH_MESSAGE } from '../src/qbo/index.ts';
import { findConnection } from '../src/store/connections/repository.ts';
import { openDatabase } from '../src/store/db.ts';
import { getRun } from '../src/store/runs/repository.ts';
import { dialects } from './support/databases.ts';
import { createExportFixture, FIXTURE_APP_SECRET, invoice, runCli, sampleDocument, type ExportFixture } from './support/export-fixture.ts';
import { emulatorState, issuedAccessTokens } from './support/qbo-harness.ts';

/**
 * Issue 12, points 4 and 6, on one PostgreSQL database shared by several app instances (processes and handles):
 * tokens saved by one are used and refreshed by another; a reconnect racing a refresh wins; a rotated refresh token
 * whose save failed is saved before the next use; a wrong APP_SECRET is named as such everywhere.
 */
const skip = dialects.includes('postgres') ? false : 'PostgreSQL unreachable';

async function fixture(t: { after: (fn: () => Promise<void>) => void }, latencyMs = 0): Promise<ExportFixture> {
  const f = await createExportFixture('postgres', latencyMs > 0 ? { latencyMs } : {});
  t.after(() => f.close());
  await f.load(sampleDocument('ACME'));
  await f.connect('ACME');
  return f;
}

const decryptRow = (companyId: number, sealed: string) => tokenCipher(FIXTURE_APP_SECRET).decrypt(sealed, tokenAad(companyId, 'refresh_token'));

void it('instance A connects, instance B exports with its tokens and refreshes them, A still works', { skip, timeout: 120_000 }, async (t) => {
  const f = await fixture(t);
  const companyId = await f.companyId('ACME');
  const b1 = await runCli(f, ['export', '--company', 'ACME', '--json']);
  assert.equal(b1.code, 0, b1.stderr);
  assert.equal((JSON.parse(b1.stdout) as { invoices: { created: number } }).invoices.created, 3);

  // An hour later B's next export must refresh: it does, and saves the rotated refresh token for everyone.
  await f.control('clock', { advanceSeconds: 3700 });
  await f.load({ invoices: [invoice('ACME', 'INV-2001', 'C-100', [{ productNo: 'WIDGET-1', qty: '1', unitPrice: '12.50' }])] });
  const issued = issuedAccessTokens(await emulatorState(f.emulator.url), f.realmId);
  const before = await findConnection(f.db.kysely, companyId);
  const b2 = await runCli(f, ['export', '--company', 'ACME', '--json']);
  assert.equal(b2.code, 0, b2.stderr);
  assert.equal(issuedAccessTokens(await emulatorState(f.emulator.url), f.realmId), issued + 1, 'B refreshed once');
  const after = await findConnection(f.db.kysely, companyId);
  assert.ok(before && after);
  assert.equal(after.version, before.version + 1);
  assert.notEqual(decryptRow(companyId, after.refresh_token_enc), decryptRow(companyId, before.refresh_token_enc));

  // A: another handle on the same database (another instance), using what B saved — no refresh of its own.
  const a = openDatabase(f.databaseUrl);
  t.after(() => a.close());
  const client = await qboClientForCompany({ connections: connectionStore(a), config: f.config, companyId, logger: f.logger });
  assert.ok((await client.companyInfo()).CompanyName);
  assert.equal(issuedAccessTokens(await emulatorState(f.emulator.url), f.realmId), issued + 1);
});

void it('a reconnect racing a refresh wins: the refresh never saves over it', { skip, timeout: 60_000 }, async (t) => {
  const f = await fixture(t, 300);
  const companyId = await f.companyId('ACME');
  const newBooks = await f.createRealm('Racing New Books');
  const before = await findConnection(f.db.kysely, companyId);
  const issued = issuedAccessTokens(await emulatorState(f.emulator.url), f.realmId);
  // The refresh's clock says the access token is about to expire: it refreshes (300 ms per call to Intuit).
  const anHourOn = () => new Date(Date.now() + 3_700_000);
  const refresh = new CompanyTokenSource({ connections: connectionStore(f.db), config: f.config, companyId, logger: f.logger, now: anHourOn }).accessToken();
  await new Promise((r) => setTimeout(r, 100));
  // Another instance reconnects to other books while the refresh waits for Intuit.
  const other = openDatabase(f.databaseUrl);
  t.after(() => other.close());
  const reconnect = f.connect('ACME', newBooks);
  await Promise.allSettled([refresh, reconnect]);
  await reconnect;
  assert.equal(issuedAccessTokens(await emulatorState(f.emulator.url), f.realmId), issued + 1, 'the refresh did run at Intuit');
  const row = await findConnection(f.db.kysely, companyId);
  assert.equal(row?.version, (before?.version ?? 0) + 2, 'refresh saved, then the reconnect over it — never the other way round');
  assert.equal(row?.realm_id, newBooks);
  assert.equal(row?.qbo_company_name, 'Racing New Books');
  // The stored tokens are the new grant's: they reach the new books.
  const client = await qboClientForCompany({ connections: connectionStore(other), config: f.config, companyId, logger: f.logger });
  assert.equal((await client.companyInfo()).CompanyName, 'Racing New Books');
});

void it('a rotated refresh token whose save failed is kept and saved before the next use', { skip, timeout: 60_000 }, async (t) => {
  const f = await fixture(t);
  const companyId = await f.companyId('ACME');
  // A real database failure: a trigger refuses updates of the connection while `fail_saves` has a row.
  await sql`create table fail_saves (x integer)`.execute(f.db.kysely);
  await sql.raw(`create function fail_save() returns trigger as $$ begin
    if exists (select 1 from fail_saves) then raise exception 'database unavailable (test)'; end if; return new; end $$ language plpgsql`).execute(f.db.kysely);
  await sql`create trigger fail_save before update on qbo_connections for each row execute function fail_save()`.execute(f.db.kysely);
  await f.control('clock', { advanceSeconds: 3700 });
  const issued = issuedAccessTokens(await emulatorState(f.emulator.url), f.realmId);
  const before = await findConnection(f.db.kysely, companyId);
  await sql`insert into fail_saves values (1)`.execute(f.db.kysely);
  const anHourOn = () => new Date(Date.now() + 3_700_000);
  const tokens = new CompanyTokenSource({ connections: connectionStore(f.db), config: f.config, companyId, logger: f.logger, now: anHourOn });
  await assert.rejects(tokens.accessToken(), /database unavailable/);
  assert.equal(issuedAccessTokens(await emulatorState(f.emulator.url), f.realmId), issued + 1, 'refreshed at Intuit');
  assert.equal((await findConnection(f.db.kysely, companyId))?.refresh_token_enc, before?.refresh_token_enc, 'not saved yet');

  await sql`delete from fail_saves`.execute(f.db.kysely);
  // Any other use of the connection in this process — here a new client — first saves the kept token.
  const client = await qboClientForCompany({ connections: connectionStore(f.db), config: f.config, companyId, logger: f.logger });
  assert.ok((await client.companyInfo()).CompanyName);
  const after = await findConnection(f.db.kysely, companyId);
  assert.notEqual(after?.refresh_token_enc, before?.refresh_token_enc, 'the rotated refresh token is saved');
  assert.equal(issuedAccessTokens(await emulatorState(f.emulator.url), f.realmId), issued + 1, 'no second refresh');
});

void it('a wrong APP_SECRET is named as such by connection, the export and its Process Log; APP_SECRET_PREVIOUS rotates', { skip, timeout: 120_000 }, async (t) => {
  const f = await fixture(t);
  const companyId = await f.companyId('ACME');
  const wrong = { APP_SECRET: 'another-secret-0123456789abcdef0123456789' };
  const status = await runCli(f, ['connection', '--company', 'ACME', '--json'], undefined, wrong);
  assert.equal(status.code, 0, status.stderr);
  assert.equal((JSON.parse(status.stdout) as { reason: string }).reason, SECRET_MISMATCH_MESSAGE);
  const text = await runCli(f, ['connection', '--company', 'ACME'], undefined, wrong);
  assert.match(text.stdout, new RegExp(SECRET_MISMATCH_MESSAGE));
  const exported = await runCli(f, ['export', '--company', 'ACME', '--json'], undefined, wrong);
  assert.equal(exported.code, 2);
  const summary = JSON.parse(exported.stdout) as { runId?: number; stoppedBecause?: string; error?: { message: string } };
  assert.equal(summary.stoppedBecause ?? summary.error?.message, SECRET_MISMATCH_MESSAGE, exported.stdout);
  const wrongConfig = loadConfig({ ...f.env, ...wrong });
  const run = await runExport({ db: f.db, config: wrongConfig, logger: f.logger, companyId, startedBy: 'test', dryRun: false });
  const entry = await getRun(f.db.kysely, run.runId);
  assert.ok(entry?.messages.some((m) => m.level === 'error' && m.message === SECRET_MISMATCH_MESSAGE), JSON.stringify(entry?.messages));
  assert.doesNotMatch(JSON.stringify(entry), /unexpected problem/);

  // Rotation: the new secret with the old one as APP_SECRET_PREVIOUS works, and re-encrypts the tokens on use.
  const rotated = loadConfig({ ...f.env, APP_SECRET: wrong.APP_SECRET, APP_SECRET_PREVIOUS: FIXTURE_APP_SECRET });
  const ok = await runExport({ db: f.db, config: rotated, logger: f.logger, companyId, startedBy: 'test', dryRun: false });
  assert.equal(ok.status, 'succeeded', JSON.stringify(ok.errors));
  const row = await findConnection(f.db.kysely, companyId);
  assert.ok(row);
  assert.ok(tokenCipher(wrong.APP_SECRET).decrypt(row.refresh_token_enc, tokenAad(companyId, 'refresh_token')), 'now sealed with the new secret');
  assert.throws(() => decryptRow(companyId, row.refresh_token_enc), 'the old secret alone no longer opens it');
  const after = await runCli(f, ['connection', '--company', 'ACME', '--json'], undefined, wrong);
  assert.equal((JSON.parse(after.stdout) as { needsReconnect: boolean }).needsReconnect, false);
});
