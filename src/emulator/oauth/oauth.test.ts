import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type RunningEmulator } from '../index.ts';
import { authorizationCode, basicAuth, exchangeCode } from '../testing.ts';

type Row = Record<string, unknown>;
const REDIRECT = 'http://localhost:9/cb';

async function token(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Row }> {
  const res = await fetch(`${url}/oauth2/v1/tokens/bearer`, {
    method: 'POST', headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Row };
}

async function advance(url: string, seconds: number): Promise<void> {
  await fetch(`${url}/_emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }) });
}

async function customer1(url: string, realmId: string, accessToken: string): Promise<Response> {
  return fetch(`${url}/v3/company/${realmId}/customer/1`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
}

void describe('OAuth 2.0 as Intuit does it', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ autoConsent: true });
  });
  after(async () => emu.close());

  void it('serves both discovery documents, with and without trailing slash, built from the request host', async () => {
    for (const path of ['openid_sandbox_configuration', 'openid_sandbox_configuration/', 'openid_configuration', 'openid_configuration/']) {
      const res = await fetch(`${emu.url}/.well-known/${path}`);
      const doc = (await res.json()) as Row;
      assert.equal(res.status, 200);
      assert.equal(doc.token_endpoint, `${emu.url}/oauth2/v1/tokens/bearer`);
      assert.equal(doc.authorization_endpoint, `${emu.url}/connect/oauth2`);
      assert.deepEqual(doc.token_endpoint_auth_methods_supported, ['client_secret_post', 'client_secret_basic']);
    }
  });

  void it('validates client_id and redirect_uri on a page, never redirecting to an unregistered URI', async () => {
    const bad = await fetch(`${emu.url}/connect/oauth2?client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&scope=com.intuit.quickbooks.accounting&state=s`, { redirect: 'manual' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /invalid_client/);
    const evil = await fetch(`${emu.url}/connect/oauth2?client_id=emulator-client&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=code&scope=com.intuit.quickbooks.accounting&state=s`, { redirect: 'manual' });
    assert.equal(evil.status, 400);
    assert.equal(evil.headers.get('location'), null);
    const scope = await fetch(`${emu.url}/connect/oauth2?client_id=emulator-client&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&scope=bogus&state=s`, { redirect: 'manual' });
    assert.equal(new URL(scope.headers.get('location') ?? '').searchParams.get('error'), 'invalid_scope');
  });

  void it('hands back state, code and realmId; codes are single-use and expire after 10 minutes', async () => {
    const cb = await authorizationCode(emu.url, REDIRECT, 'xyz');
    assert.equal(cb.searchParams.get('state'), 'xyz');
    assert.equal(cb.searchParams.get('realmId'), emu.defaultRealmId);
    const code = cb.searchParams.get('code') ?? '';
    assert.equal((await token(emu.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).status, 200);
    const again = await token(emu.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    const late = (await authorizationCode(emu.url, REDIRECT)).searchParams.get('code') ?? '';
    await advance(emu.url, 601);
    assert.equal((await token(emu.url, { grant_type: 'authorization_code', code: late, redirect_uri: REDIRECT })).body.error, 'invalid_grant');
  });

  void it('accepts client_secret_post and rejects bad client credentials with 401 invalid_client', async () => {
    const code = (await authorizationCode(emu.url, REDIRECT)).searchParams.get('code') ?? '';
    const wrong = await token(emu.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: basicAuth('emulator-client', 'nope') });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { error: 'invalid_client' });
    const post = await fetch(`${emu.url}/oauth2/v1/tokens/bearer`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'emulator-client', client_secret: 'emulator-secret' }).toString(),
    });
    assert.equal(post.status, 200);
  });

  void it('expires access tokens after 3600 s with the lower-case 401 body; rotates refresh tokens with a 24 h grace', async () => {
    const cb = await authorizationCode(emu.url, REDIRECT);
    const first = await exchangeCode(emu.url, cb.searchParams.get('code') ?? '', REDIRECT);
    assert.equal(first.x_refresh_token_expires_in, 8_640_000);
    assert.equal(first.x_refresh_token_hard_expires_in, undefined);
    const at = String(first.access_token);
    assert.equal((await customer1(emu.url, emu.defaultRealmId, at)).status, 200);
    await advance(emu.url, 3601);
    const expired = await customer1(emu.url, emu.defaultRealmId, at);
    assert.equal(expired.status, 401);
    assert.equal(expired.headers.get('www-authenticate'), 'Bearer realm="Intuit", error="invalid_token"');
    const body = (await expired.json()) as { fault: { error: Array<{ code: string; detail: string }>; type: string }; time: unknown };
    assert.equal(body.fault.error[0]?.code, '3200');
    assert.match(body.fault.error[0]?.detail ?? '', /^Token expired: /);
    assert.equal(typeof body.time, 'number');

    const second = await token(emu.url, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) }, { 'x-include-refresh-token-hard-expires-in': 'true' });
    assert.equal(second.status, 200);
    assert.notEqual(second.body.refresh_token, first.refresh_token);
    assert.equal(typeof second.body.x_refresh_token_hard_expires_in, 'number');
    assert.ok(Number(second.body.x_refresh_token_hard_expires_in) > 5 * 360 * 86_400);
    // The superseded token still works within 24 h and answers with the latest one.
    const grace = await token(emu.url, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    assert.equal(grace.body.refresh_token, second.body.refresh_token);
    await advance(emu.url, 86_400);
    const dead = await token(emu.url, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    assert.equal(dead.status, 400);
    assert.equal(dead.body.error, 'invalid_grant');
    const latest = await token(emu.url, { grant_type: 'refresh_token', refresh_token: String(second.body.refresh_token) });
    assert.equal(latest.status, 200);
    assert.ok(Number(latest.body.x_refresh_token_expires_in) > 8_600_000, 'the rolling 100 days restart on use');
    await advance(emu.url, 101 * 86_400);
    assert.equal((await token(emu.url, { grant_type: 'refresh_token', refresh_token: String(latest.body.refresh_token) })).body.error, 'invalid_grant');
  });

  void it('revokes the access and refresh tokens of a grant (JSON or form body)', async () => {
    for (const encoding of ['json', 'form']) {
      const cb = await authorizationCode(emu.url, REDIRECT);
      const t = await exchangeCode(emu.url, cb.searchParams.get('code') ?? '', REDIRECT);
      const res = await fetch(`${emu.url}/v2/oauth2/tokens/revoke`, {
        method: 'POST',
        headers: { authorization: basicAuth(), 'content-type': encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' },
        body: encoding === 'json' ? JSON.stringify({ token: t.refresh_token }) : `token=${String(t.refresh_token)}`,
      });
      assert.equal(res.status, 200);
      assert.equal((await customer1(emu.url, emu.defaultRealmId, String(t.access_token))).status, 401);
      assert.equal((await token(emu.url, { grant_type: 'refresh_token', refresh_token: String(t.refresh_token) })).body.error, 'invalid_grant');
    }
  });

  void it('Cancel on the consent page redirects with error=access_denied and the state', async () => {
    const manual = await startEmulator();
    try {
      const form = new URLSearchParams({ client_id: 'emulator-client', redirect_uri: REDIRECT, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', state: 'c1', action: 'cancel' });
      const res = await fetch(`${manual.url}/connect/oauth2`, { method: 'POST', body: form, redirect: 'manual' });
      const location = new URL(res.headers.get('location') ?? '');
      assert.equal(location.searchParams.get('error'), 'access_denied');
      assert.equal(location.searchParams.get('state'), 'c1');
      form.set('action', 'connect');
      form.set('email', 'demo@example.com');
      form.set('password', '');
      assert.equal((await fetch(`${manual.url}/connect/oauth2`, { method: 'POST', body: form, redirect: 'manual' })).status, 400);
    } finally {
      await manual.close();
    }
  });
});
