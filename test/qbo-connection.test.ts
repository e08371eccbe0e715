import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { after, before, it } from 'node:test';
import { describeEachDialect } from './support/databases.ts';
import { captureLogger, emulatorControl, emulatorState, issuedAccessTokens, startQboHarness, TEST_APP_SECRET, type QboHarness } from './support/qbo-harness.ts';
import { upsertCompany } from '../src/store/erp/companies.ts';
import { findConnection } from '../src/store/connections/repository.ts';
import { tokenAad, tokenCipher } from '../src/qbo/auth/crypto.ts';
import {
  beginConnect, CompanyTokenSource, disconnectCompany, createQboClient, getConnectionStatus, qboClientForCompany, ReconnectRequiredError, select, UNAUTHORIZED_MESSAGE,
  type Item, type QboClient,
} from '../src/qbo/index.ts';
import { connectionStore } from '../src/export/connections.ts';

/** Fast retries for tests; the 60 s throttle wait is not exercised here (the limiter prevents 429s). */
const testRetry = { baseDelayMs: 20, maxDelayMs: 200, throttleDelayMs: 2000 };

describeEachDialect('QuickBooks connection and client against the emulator', ({ db, url, dialect }) => {
  const logs = captureLogger();
  let h: QboHarness;
  let companyId = 0;
  let realmId = '';
  const seenTokens = new Set<string>();

  async function rememberTokens(): Promise<void> {
    const row = await findConnection(db().kysely, companyId);
    if (!row) return;
    const cipher = tokenCipher(TEST_APP_SECRET);
    seenTokens.add(cipher.decrypt(row.access_token_enc, tokenAad(companyId, 'access_token')));
    seenTokens.add(cipher.decrypt(row.refresh_token_enc, tokenAad(companyId, 'refresh_token')));
  }

  async function client(): Promise<QboClient> {
    return qboClientForCompany({ connections: connectionStore(db()), config: h.config, companyId, logger: logs.logger, retry: testRetry });
  }

  async function callbackPage(location: string): Promise<{ status: number; outcome: string | null; body: string }> {
    const res = await fetch(location, { redirect: 'manual' });
    const body = await res.text();
    return { status: res.status, outcome: /data-outcome="([^"]+)"/.exec(body)?.[1] ?? null, body };
  }

  /** Intuit's authorize page with auto-consent: answers with a redirect to our callback. */
  async function authorize(): Promise<string> {
    const { authorizeUrl } = await beginConnect({ connections: connectionStore(db()), config: h.config, companyId });
    const res = await fetch(authorizeUrl, { redirect: 'manual' });
    assert.equal(res.status, 302, await res.text());
    const location = res.headers.get('location');
    assert.ok(location?.startsWith(`${h.config.publicUrl}/qbo/callback?`), `redirect to our callback, got ${location}`);
    return location ?? '';
  }

  before(async () => {
    h = await startQboHarness(db, url, logs.logger);
    companyId = (await upsertCompany(db().kysely, { code: 'ACME', name: 'Acme Manufacturing', qbPrimaryCompany: true })).id;
  });
  after(async () => {
    await h.close();
  });

  void it('connects: authorize → callback → connected row with encrypted tokens and expiries', async () => {
    const before = await getConnectionStatus(connectionStore(db()), companyId, h.config);
    assert.equal(before.connected, false);
    const location = await authorize();
    const { authorizeUrl } = await beginConnect({ connections: connectionStore(db()), config: h.config, companyId });
    const auth = new URL(authorizeUrl);
    assert.equal(auth.searchParams.get('scope'), 'com.intuit.quickbooks.accounting');
    assert.equal(auth.searchParams.get('redirect_uri'), `${h.config.publicUrl}/qbo/callback`);

    const page = await callbackPage(location);
    assert.equal(page.outcome, 'connected', page.body);
    assert.equal(page.status, 200);
    assert.match(page.body, /href="\/quickbooks-authentication"/);
    realmId = new URL(location).searchParams.get('realmId') ?? '';
    assert.equal(realmId, h.emulator.defaultRealmId);

    const status = await getConnectionStatus(connectionStore(db()), companyId, h.config);
    assert.equal(status.connected, true);
    assert.equal(status.needsReconnect, false);
    assert.equal(status.realmId, realmId);
    assert.ok(status.hardExpiresAt, 'hard expiry asked for with the opt-in header and stored');
    assert.ok((status.daysUntilRefreshExpiry ?? 0) >= 99);
    const row = await findConnection(db().kysely, companyId);
    assert.ok(row?.access_token_enc.startsWith('v2.'));
    await rememberTokens();
  });

  void it('refuses a replayed callback, an unknown state, and reports access_denied and invalid_grant', async () => {
    const location = await authorize();
    assert.equal((await callbackPage(location)).outcome, 'connected');
    await rememberTokens();
    const replay = await callbackPage(location);
    assert.equal(replay.outcome, 'bad-state');
    assert.equal(replay.status, 400);

    const forged = new URL(location);
    forged.searchParams.set('state', 'not-a-state-we-issued');
    assert.equal((await callbackPage(forged.toString())).outcome, 'bad-state');

    const { authorizeUrl } = await beginConnect({ connections: connectionStore(db()), config: h.config, companyId });
    const state = new URL(authorizeUrl).searchParams.get('state') ?? '';
    const denied = await callbackPage(`${h.config.publicUrl}/qbo/callback?error=access_denied&state=${encodeURIComponent(state)}`);
    assert.equal(denied.outcome, 'denied');

    // The code of `location` was already exchanged: Intuit answers invalid_grant.
    const { authorizeUrl: second } = await beginConnect({ connections: connectionStore(db()), config: h.config, companyId });
    const usedCode = new URL(location);
    usedCode.searchParams.set('state', new URL(second).searchParams.get('state') ?? '');
    assert.equal((await callbackPage(usedCode.toString())).outcome, 'invalid-grant');
    // The connection made before is untouched.
    assert.equal((await getConnectionStatus(connectionStore(db()), companyId, h.config)).connected, true);
  });

  void it('names with quote, backslash, ampersand, percent and accents round-trip through create and query', async () => {
    const qbo = await client();
    const income = (await qbo.query(select('Account').where('AccountType', '=', 'Income').maxResults(1)))[0];
    assert.ok(income, 'the realm has an income account');
    const names = ["O'Brien & Sons", 'Back\\slash Ltd', '100% Cotton Co', 'Café Zoë Ångström', "It's 50% \\ off & more"];
    for (const [i, name] of names.entries()) {
      const created = await qbo.create('Customer', { DisplayName: name }, { requestId: `${dialect}-cust-${i}` });
      assert.equal(created.DisplayName, name);
      const found = await qbo.query(select('Customer').where('DisplayName', '=', name));
      assert.deepEqual(found.map((c) => c.Id), [created.Id], `exactly the customer named ${name}`);
      const item: Item = await qbo.create('Item', { Name: `${name} item`, Type: 'Service', IncomeAccountRef: { value: income.Id } }, { requestId: `${dialect}-item-${i}` });
      assert.deepEqual((await qbo.query(select('Item').where('Name', '=', `${name} item`))).map((found) => found.Id), [item.Id]);
    }
    assert.equal(await qbo.count(select('Customer').where('DisplayName', 'LIKE', '%Cotton%')), 1);
    const all = await qbo.queryAll(select('Customer').maxResults(2));
    assert.ok(all.length >= names.length);
    assert.equal(new Set(all.map((c) => c.Id)).size, all.length, 'pages do not overlap');
  });

  void it('sends 100 quick parallel requests without a single 429 (limits on)', { skip: dialect !== 'sqlite' && 'independent of the database: runs once, on SQLite' }, async () => {
    // Before the two-process test: the limiter is per process, and those processes' calls share the realm's windows.
    const qbo = await client();
    const throttledBefore = (await emulatorState(h.emulator.url)).counters.throttled;
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      i % 2 === 0 ? qbo.query(select('Account').maxResults(5)) : qbo.read('Customer', '1').catch((e: Error) => e)));
    assert.equal(results.length, 100);
    assert.equal((await emulatorState(h.emulator.url)).counters.throttled, throttledBefore);
  });

  void it('without the limiter QBO throttles, and the client waits Retry-After and gets through', { skip: dialect !== 'sqlite' && 'independent of the database: runs once, on SQLite' }, async () => {
    const tokens = new CompanyTokenSource({ connections: connectionStore(db()), config: h.config, companyId, logger: logs.logger });
    const unlimited = createQboClient({ apiBase: h.config.qbo.apiBase, realmId, tokens, logger: logs.logger, retry: { ...testRetry, throttleDelayMs: 60_000 } });
    const throttledBefore = (await emulatorState(h.emulator.url)).counters.throttled;
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 25 }, () => unlimited.query(select('Account').maxResults(1))));
    assert.equal(results.length, 25);
    assert.ok((await emulatorState(h.emulator.url)).counters.throttled > throttledBefore, 'the emulator did throttle');
    // Retry-After (1 s from the emulator) was honoured, not the 60 s default.
    assert.ok(Date.now() - started < 30_000);
  });

  void it('refreshes silently once the access token expired at QBO (clock moved past an hour)', async () => {
    const before = issuedAccessTokens(await emulatorState(h.emulator.url), realmId);
    await emulatorControl(h.emulator.url, 'clock', { advanceSeconds: 3700 });
    const qbo = await client();
    const info = await qbo.companyInfo();
    assert.ok(info.CompanyName);
    assert.equal(issuedAccessTokens(await emulatorState(h.emulator.url), realmId), before + 1);
    const status = await getConnectionStatus(connectionStore(db()), companyId, h.config);
    assert.ok(status.lastRefreshAt, 'last refresh recorded');
    await rememberTokens();
  });

  void it('refreshes ahead of expiry on its own clock (under 5 minutes left) and stores the rotated refresh token', async () => {
    const row = await findConnection(db().kysely, companyId);
    assert.ok(row);
    const cipher = tokenCipher(TEST_APP_SECRET);
    const before = issuedAccessTokens(await emulatorState(h.emulator.url), realmId);
    const almostExpired = new Date(new Date(row.access_token_expires_at).getTime() - 120_000);
    const tokens = new CompanyTokenSource({ connections: connectionStore(db()), config: h.config, companyId, logger: logs.logger, now: () => almostExpired });
    const fresh = await tokens.accessToken();
    assert.notEqual(fresh, cipher.decrypt(row.access_token_enc, tokenAad(companyId, 'access_token')));
    assert.equal(issuedAccessTokens(await emulatorState(h.emulator.url), realmId), before + 1);
    const after = await findConnection(db().kysely, companyId);
    assert.ok(after);
    assert.equal(cipher.decrypt(after.access_token_enc, tokenAad(companyId, 'access_token')), fresh);
    assert.notEqual(cipher.decrypt(after.refresh_token_enc, tokenAad(companyId, 'refresh_token')), cipher.decrypt(row.refresh_token_enc, tokenAad(companyId, 'refresh_token')), 'rotated refresh token saved');
    const qbo = createQboClient({ apiBase: h.config.qbo.apiBase, realmId, tokens, logger: logs.logger });
    assert.ok((await qbo.companyInfo()).CompanyName);
    await rememberTokens();
  });

  void it('two processes that both find the token expired refresh it once, and both calls work', async () => {
    await emulatorControl(h.emulator.url, 'clock', { advanceSeconds: 3700 });
    const before = issuedAccessTokens(await emulatorState(h.emulator.url), realmId);
    const children = [0, 1].map(() => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/qbo-refresh-child.ts'], {
        env: { ...process.env, ...h.env, COMPANY_ID: String(companyId) },
      });
      let out = '';
      let err = '';
      const ready = new Promise<void>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('ready')) resolve();
        });
        child.on('close', () => resolve());
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        child.on('close', (code) => resolve({ code, out: out.replace('ready\n', ''), err }));
      });
      return { child, ready, done };
    });
    // Both processes are up before either calls: they find the expired token at the same moment.
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin.end('go\n');
    const results = await Promise.all(children.map((c) => c.done));
    for (const r of results) {
      assert.equal(r.code, 0, r.out + r.err);
      const result = JSON.parse(r.out.trim()) as { ok: boolean; companyName: unknown };
      assert.equal(result.ok, true);
      assert.equal(typeof result.companyName, 'string');
      assert.ok(!r.err.includes(h.config.qbo.clientSecret));
    }
    assert.equal(issuedAccessTokens(await emulatorState(h.emulator.url), realmId), before + 1, 'exactly one refresh');
    await rememberTokens();
    for (const token of seenTokens) assert.ok(results.every((r) => !r.err.includes(token)), 'no token in child logs');
  });

  void it('retries reads after an injected 500 and a dropped connection, and a write with its requestid after a 500 that committed', async () => {
    const qbo = await client();
    const faultsBefore = (await emulatorState(h.emulator.url)).counters.faultsInjected;
    await emulatorControl(h.emulator.url, 'faults', { rules: [
      { method: 'GET', path: '/companyinfo', status: 500, times: 2 },
      { method: 'GET', path: '/query', drop: true, times: 1 },
      { method: 'POST', path: '/customer', status: 500, times: 1, afterCommit: true },
    ] });
    assert.ok((await qbo.companyInfo()).CompanyName);
    assert.ok(Array.isArray(await qbo.query(select('Customer').maxResults(1))));
    const created = await qbo.create('Customer', { DisplayName: 'Retried Ltd' }, { requestId: `${dialect}-retried` });
    assert.equal(created.DisplayName, 'Retried Ltd');
    const found = await qbo.query(select('Customer').where('DisplayName', '=', 'Retried Ltd'));
    assert.equal(found.length, 1, 'the replayed write did not create a second customer');
    assert.equal((await emulatorState(h.emulator.url)).counters.faultsInjected - faultsBefore, 4);
  });

  void it('a disconnected app needs a reconnect, with the seed sentence', async () => {
    await emulatorControl(h.emulator.url, `realms/${realmId}/disconnect`, {});
    const qbo = await client();
    await assert.rejects(qbo.companyInfo(), (error: unknown) => {
      assert.ok(error instanceof ReconnectRequiredError);
      assert.equal(error.message, UNAUTHORIZED_MESSAGE);
      assert.equal(error.code, 'QBO_RECONNECT_REQUIRED');
      return true;
    });
    const status = await getConnectionStatus(connectionStore(db()), companyId, h.config);
    assert.equal(status.needsReconnect, true);
    assert.equal(status.reason, UNAUTHORIZED_MESSAGE);
    await assert.rejects(client(), ReconnectRequiredError);
    // Connecting again clears it.
    assert.equal((await callbackPage(await authorize())).outcome, 'connected');
    assert.equal((await getConnectionStatus(connectionStore(db()), companyId, h.config)).needsReconnect, false);
  });

  void it('disconnecting revokes the grant at Intuit and forgets the tokens', async () => {
    assert.ok(issuedAccessTokens(await emulatorState(h.emulator.url), realmId) > 0);
    assert.deepEqual(await disconnectCompany({ connections: connectionStore(db()), config: h.config, logger: logs.logger, companyId }), { disconnected: true, revokedAtIntuit: true });
    assert.equal(issuedAccessTokens(await emulatorState(h.emulator.url), realmId), 0, 'no live grant left at the emulator');
    assert.equal(await findConnection(db().kysely, companyId), undefined);
    assert.equal((await getConnectionStatus(connectionStore(db()), companyId, h.config)).connected, false);
    await assert.rejects(client(), ReconnectRequiredError);
  });

  void it('keeps tokens out of the database file and every token and the client secret out of the logs', async () => {
    await rememberTokens();
    assert.ok(seenTokens.size >= 4);
    if (dialect === 'sqlite') {
      const file = url().slice('sqlite:'.length);
      const bytes = Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
      for (const token of seenTokens) assert.equal(bytes.indexOf(token), -1, 'a token is in the database file in plain text');
    }
    const text = logs.text();
    assert.ok(text.length > 0, 'logs were captured');
    assert.ok(!text.includes(h.config.qbo.clientSecret), 'client secret in logs');
    for (const token of seenTokens) assert.ok(!text.includes(token), 'token in logs');
  });
});
