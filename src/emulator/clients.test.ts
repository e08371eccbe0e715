import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import OAuthClient from 'intuit-oauth';
import nodeQuickBooks, { type QuickBooks as QuickBooksClient } from 'node-quickbooks';
import { startEmulator, type RunningEmulator } from './index.ts';
import { connectedEmulator, type ConnectedEmulator } from './testing.ts';

/**
 * The published npm clients, aimed at the emulator with only their base URLs changed
 * (docs/qbo-behaviour.md §9.1, §9.2 "Override recipe").
 */
process.env.NO_PROXY = '127.0.0.1,localhost';

// node-quickbooks is CommonJS (`module.exports = QuickBooks`); its typings describe an ES default export.
const QuickBooks = nodeQuickBooks as unknown as typeof QuickBooksClient;

type Row = Record<string, unknown>;
type Outcome = { err: unknown; data: unknown };
const call = (fn: (cb: (err: unknown, data?: unknown) => void) => void): Promise<Outcome> =>
  new Promise((resolve) => fn((err, data) => resolve({ err, data })));
const faultCodeOf = (err: unknown): string | undefined => {
  const data = (err as { response?: { data?: Row } } | null)?.response?.data;
  return (data?.Fault as { Error?: Array<{ code: string }> } | undefined)?.Error?.[0]?.code;
};

void describe('intuit-oauth against the emulator', () => {
  let emu: RunningEmulator;
  const saved = { authorize: OAuthClient.authorizeEndpoint, token: OAuthClient.tokenEndpoint, revoke: OAuthClient.revokeEndpoint, sandbox: OAuthClient.environment.sandbox };
  before(async () => {
    emu = await startEmulator();
  });
  after(async () => {
    Object.assign(OAuthClient, { authorizeEndpoint: saved.authorize, tokenEndpoint: saved.token, revokeEndpoint: saved.revoke });
    OAuthClient.environment.sandbox = saved.sandbox;
    await emu.close();
  });

  void it('runs the code flow through the consent form, refreshes, calls the API and revokes', async () => {
    const redirectUri = 'http://localhost:9/callback';
    const client = new OAuthClient({ clientId: 'emulator-client', clientSecret: 'emulator-secret', environment: 'sandbox', redirectUri });
    client.setAuthorizeURLs({
      authorizeEndpoint: `${emu.url}/connect/oauth2`, tokenEndpoint: `${emu.url}/oauth2/v1/tokens/bearer`,
      revokeEndpoint: `${emu.url}/v2/oauth2/tokens/revoke`, userInfoEndpoint: `${emu.url}/v1/openid_connect/userinfo`,
    });
    OAuthClient.environment.sandbox = `${emu.url}/`;
    const authorizeUri = client.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: 'st-42' });
    const page = await fetch(authorizeUri);
    const html = await page.text();
    assert.equal(page.status, 200);
    for (const label of ['Email', 'Password', 'Company', 'Connect', 'Cancel']) assert.ok(html.includes(label), label);
    const action = /action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const hidden: Record<string, string> = {};
    for (const m of html.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      hidden[m[1] ?? ''] = (m[2] ?? '').replace(/&amp;/g, '&').replace(/&#39;/g, "'");
    }
    const form = new URLSearchParams({ ...hidden, email: 'demo@example.com', password: 'anything', realmId: emu.defaultRealmId, action: 'connect' });
    const consent = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(consent.status, 302);
    const callback = consent.headers.get('location') ?? '';
    assert.equal(new URL(callback).searchParams.get('state'), 'st-42');

    const created = await client.createToken(callback);
    const token = created.getJson() as Row;
    assert.equal(token.token_type, 'bearer');
    assert.equal(token.expires_in, 3600);
    assert.equal(client.getToken().realmId, emu.defaultRealmId);

    const refreshed = await client.refresh();
    assert.notEqual((refreshed.getJson() as Row).refresh_token, token.refresh_token);

    const api = await client.makeApiCall({ url: `${emu.url}/v3/company/${emu.defaultRealmId}/companyinfo/${emu.defaultRealmId}?minorversion=75` });
    assert.equal(((api.json as Row).CompanyInfo as Row).Country, 'US');
    const q = await client.makeApiCall({ url: `/v3/company/${emu.defaultRealmId}/query?query=select * from Item&minorversion=75` });
    assert.ok(((q.json as Row).QueryResponse as Row).Item);

    const latest = String((refreshed.getJson() as Row).refresh_token);
    await client.revoke();
    client.setToken({ refresh_token: latest, access_token: 'x', token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8_000_000, realmId: emu.defaultRealmId });
    await assert.rejects(client.refresh(), (e: unknown) => (e as { error?: string }).error === 'invalid_grant');
  });

  void it('reports invalid_client for wrong keys', async () => {
    const client = new OAuthClient({ clientId: 'emulator-client', clientSecret: 'wrong', environment: 'sandbox', redirectUri: 'http://localhost:9/cb' });
    client.setAuthorizeURLs({
      authorizeEndpoint: `${emu.url}/connect/oauth2`, tokenEndpoint: `${emu.url}/oauth2/v1/tokens/bearer`,
      revokeEndpoint: `${emu.url}/v2/oauth2/tokens/revoke`, userInfoEndpoint: `${emu.url}/v1/openid_connect/userinfo`,
    });
    client.setToken({ refresh_token: 'RT1-x', access_token: 'x', token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8_000_000 });
    await assert.rejects(client.refresh(), (e: unknown) => (e as { error?: string }).error === 'invalid_client');
  });
});

void describe('node-quickbooks against the emulator', () => {
  let emu: ConnectedEmulator;
  let qbo: QuickBooksClient;
  const saved = { base: QuickBooks.V3_ENDPOINT_BASE_URL, token: QuickBooks.TOKEN_URL, revoke: QuickBooks.REVOKE_URL };
  before(async () => {
    emu = await connectedEmulator();
    QuickBooks.V3_ENDPOINT_BASE_URL = `${emu.url}/v3/company/`;
    QuickBooks.TOKEN_URL = `${emu.url}/oauth2/v1/tokens/bearer`;
    QuickBooks.REVOKE_URL = `${emu.url}/v2/oauth2/tokens/revoke`;
    qbo = new QuickBooks('emulator-client', 'emulator-secret', emu.accessToken, false, emu.realmId, true, false, null, '2.0', emu.refreshToken);
  });
  after(async () => {
    Object.assign(QuickBooks, { V3_ENDPOINT_BASE_URL: saved.base, TOKEN_URL: saved.token, REVOKE_URL: saved.revoke });
    await emu.close();
  });

  void it('creates, reads and sparse-updates a customer; stale SyncToken → 5010; duplicate name → 6240', async () => {
    const created = await call((cb) => qbo.createCustomer({ DisplayName: "O'Brien & Sons" }, cb));
    assert.equal(created.err, null);
    const customer = created.data as Row;
    const read = await call((cb) => qbo.getCustomer(String(customer.Id), cb));
    assert.equal((read.data as Row).DisplayName, "O'Brien & Sons");
    const updated = await call((cb) => qbo.updateCustomer({ Id: String(customer.Id), SyncToken: '0', Notes: 'vip' }, cb));
    assert.equal((updated.data as Row).SyncToken, '1');
    const stale = await call((cb) => qbo.updateCustomer({ Id: String(customer.Id), SyncToken: '0', Notes: 'again' }, cb));
    assert.equal(faultCodeOf(stale.err), '5010');
    const dup = await call((cb) => qbo.createCustomer({ DisplayName: 'Acme Supplies & Co' }, cb));
    assert.equal(faultCodeOf(dup.err), '6240');
  });

  void it("queries with apostrophes and ampersands, counts and LIKE", async () => {
    const amy = await call((cb) => qbo.findCustomers({ DisplayName: "Amy's Bird Sanctuary" }, cb));
    assert.equal((((amy.data as Row).QueryResponse as Row).Customer as Row[]).length, 1);
    const vendor = await call((cb) => qbo.findVendors({ DisplayName: 'Robertson & Associates' }, cb));
    assert.equal((((vendor.data as Row).QueryResponse as Row).Vendor as Row[]).length, 1);
    const obrien = await call((cb) => qbo.findCustomers({ DisplayName: "O'Brien & Sons" }, cb));
    assert.equal((((obrien.data as Row).QueryResponse as Row).Customer as Row[]).length, 1);
    const count = await call((cb) => qbo.findCustomers({ count: true }, cb));
    assert.equal(typeof ((count.data as Row).QueryResponse as Row).totalCount, 'number');
    const like = await call((cb) => qbo.findItems([{ field: 'Name', value: 'D%', operator: 'LIKE' }], cb));
    assert.equal((((like.data as Row).QueryResponse as Row).Item as Row[])[0]?.Name, 'Design');
    const all = await call((cb) => qbo.findItems({ fetchAll: true }, cb));
    assert.ok((((all.data as Row).QueryResponse as Row).Item as Row[]).length >= 5);
  });

  void it('creates invoices; 6070 for a wrong Amount; 6140 for a duplicate DocNumber; batch', async () => {
    const line = (amount: number, qty: number, price: number) => ({ DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: '4' }, Qty: qty, UnitPrice: price } });
    const ok = await call((cb) => qbo.createInvoice({ CustomerRef: { value: '1' }, DocNumber: 'NQ-1', Line: [line(150, 2, 75)] }, cb));
    assert.equal(ok.err, null);
    assert.equal((ok.data as Row).TotalAmt, 150);
    const wrong = await call((cb) => qbo.createInvoice({ CustomerRef: { value: '1' }, Line: [line(151, 2, 75)] }, cb));
    assert.equal(faultCodeOf(wrong.err), '6070');
    const dup = await call((cb) => qbo.createInvoice({ CustomerRef: { value: '1' }, DocNumber: 'NQ-1', Line: [line(150, 2, 75)] }, cb));
    assert.equal(faultCodeOf(dup.err), '6140');
    const allowed = await call((cb) => qbo.createInvoice({ CustomerRef: { value: '1' }, DocNumber: 'NQ-1', Line: [line(150, 2, 75)], allowDuplicateDocNum: true }, cb));
    assert.equal(allowed.err, null);
    const batch = await call((cb) => qbo.batch([
      { bId: 'b1', operation: 'create', Invoice: { CustomerRef: { value: '2' }, Line: [line(75, 1, 75)] } },
      // The typings demand `operation` on every item; Intuit's query items have none.
      { bId: 'b2', Query: "select * from Customer where DisplayName = 'Cool Cars'" } as unknown as { bId: string; operation: 'create' },
    ], cb));
    const items = (batch.data as Row).BatchItemResponse as Row[];
    assert.ok(items.find((i) => i.bId === 'b1')?.Invoice);
    assert.ok(items.find((i) => i.bId === 'b2')?.QueryResponse);
  });

  void it('gets a 401 once the access token expires, and refreshAccessToken recovers', async () => {
    await emu.control('/clock', { advanceSeconds: 3700 });
    const expired = await call((cb) => qbo.getCustomer('1', cb));
    assert.equal((expired.err as { response?: { status?: number } }).response?.status, 401);
    const refreshed = await call((cb) => qbo.refreshAccessToken(cb));
    assert.equal(refreshed.err, null);
    const again = await call((cb) => qbo.getCustomer('1', cb));
    assert.equal((again.data as Row).DisplayName, "Amy's Bird Sanctuary");
  });
});
