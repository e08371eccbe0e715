import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { pino } from 'pino';
import { z } from 'zod';
import { discoverySchema, OAuthError, tokenGrantFromResponse } from './auth/oauth.ts';
import { createQboClient } from './client.ts';
import { invoiceSchema, qboObjectSchema } from './entities.ts';
import {
  QboAuthError, QboDuplicateNameError, QboNotFoundError, QboStaleObjectError, QboThrottledError, QboValidationError,
} from './errors.ts';
import { classifyFault, parseFault } from './fault.ts';
import { select } from './query.ts';
import type { FetchLike, QboClient } from './types.ts';
import { qboFixturesDir } from '../../test/support/fixtures-dir.ts';

/**
 * Every recorded real QBO/Intuit exchange in test/fixtures/qbo (see its README) goes through the
 * client's real parsing: QBO answers are replayed through the client's `fetch` boundary (docs/design.md rule 3),
 * token answers through oauth4webapi and our grant reader.
 */
const dir = qboFixturesDir();
const fixtureSchema = z.object({
  request: z.object({ method: z.string(), path: z.string(), body: z.unknown() }).optional(),
  response: z.object({ status: z.number().optional(), headers: z.record(z.string(), z.string()).optional(), body: z.unknown() }),
});
type Fixture = z.infer<typeof fixtureSchema>;

const load = (name: string): Fixture => fixtureSchema.parse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
const handled = new Set<string>();
const use = (name: string): Fixture => {
  handled.add(name);
  return load(name);
};

function replay(fixture: Fixture | { status: number; text: string; headers?: Record<string, string> }, seen: string[] = []): QboClient {
  const fetchLike: FetchLike = async (input) => {
    seen.push(String(input));
    if ('text' in fixture) return new Response(fixture.text, { status: fixture.status, headers: fixture.headers ?? {} });
    const { status = 200, headers = {}, body } = fixture.response;
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers });
  };
  return createQboClient({
    apiBase: 'https://quickbooks.example', realmId: '-COMPANY_ID-', fetch: fetchLike,
    tokens: { accessToken: async () => 'T1', afterUnauthorized: async () => 'T2' },
    logger: pino({ level: 'silent' }),
    retry: { maxAttempts: 1 },
  });
}

const queryOf = (url: string): string | null => new URL(url).searchParams.get('query');
const write = { requestId: 'fixture-1' };

void describe('recorded QBO exchanges parse with the client', () => {
  void it('entities: create, read, update (sparse) of Customer, Invoice, Account', async () => {
    const created = await replay(use('customer-create.json')).create('Customer', { DisplayName: 'Doe5, Jane' }, write);
    assert.equal(created.DisplayName, 'Doe5, Jane');
    assert.equal(created.Id, '70');
    const read = await replay(use('customer-read.json')).read('Customer', '5');
    assert.ok(read.BillAddr?.City);
    assert.equal((await replay(use('customer-read-minorversion.json')).read('Customer', '68')).Id, '68');
    const updated = await replay(use('customer-update.json')).update('Customer', { Id: '68', SyncToken: '0', DisplayName: 'Jack Moe' }, write);
    assert.equal(updated.SyncToken, '1');
    const invoice = await replay(use('invoice-create.json')).create('Invoice', {}, write);
    assert.equal(invoice.TotalAmt, '100');
    assert.ok(invoice.Line?.some((l) => l.DetailType === 'SubTotalLineDetail'));
    assert.equal((await replay(use('invoice-read.json')).read('Invoice', '266')).DocNumber, invoice.DocNumber);
    const account = await replay(use('account-deactivate-sparse.json')).update('Account', { Id: '5', SyncToken: '1', Active: false }, { ...write, sparse: true });
    assert.equal(account.Active, false);
  });

  void it('delete and void answers parse as Invoice; objects the export does not use parse as QBO objects', () => {
    const deleted = invoiceSchema.parse((use('invoice-delete.json').response.body as { Invoice: unknown }).Invoice);
    assert.equal(deleted.status, 'Deleted');
    const voided = invoiceSchema.parse((use('invoice-void.json').response.body as { Invoice: unknown }).Invoice);
    assert.equal(voided.TotalAmt, '0');
    assert.equal(qboObjectSchema.parse((use('salesreceipt-update.json').response.body as { SalesReceipt: unknown }).SalesReceipt).SyncToken, '5');
    const cdc = z.object({ CDCResponse: z.array(z.object({ QueryResponse: z.array(z.looseObject({ Estimate: z.array(qboObjectSchema).optional() })) })) })
      .parse(use('cdc-basic.json').response.body);
    assert.equal(cdc.CDCResponse[0]?.QueryResponse[0]?.Estimate?.length, 4);
    const report = use('report-profit-and-loss.json').response.body;
    assert.equal(parseFault(JSON.stringify(report)), null);
    assert.ok(z.looseObject({ Header: z.looseObject({}), Columns: z.unknown(), Rows: z.unknown() }).safeParse(report).success);
  });

  void it('queries: rows, empty-safe paging fields, count — and our builder sends the recorded statements', async () => {
    const seen: string[] = [];
    const amy = await replay(use('query-escaped-quote.json'), seen).query(select('Customer').where('DisplayName', '=', "Amy's Bird Sanctuary"));
    assert.equal(amy[0]?.DisplayName, "Amy's Bird Sanctuary");
    const vendor = await replay(use('query-ampersand.json'), seen).query(select('Vendor').where('DisplayName', '=', 'Robertson & Associates'));
    assert.equal(vendor.length, 1);
    assert.equal(await replay(use('query-count.json'), seen).count(select('Customer')), 41);
    for (const [i, name] of ['query-escaped-quote.json', 'query-ampersand.json', 'query-count.json'].entries()) {
      const recorded = new URL(`https://x${load(name).request?.path ?? ''}`).searchParams.get('query');
      assert.equal(queryOf(seen[i] ?? ''), recorded, `${name}: the statement we send is the one QBO answered`);
    }
    assert.equal((await replay(use('query-customer-all.json')).queryAll(select('Customer'))).length, 41);
    assert.equal((await replay(use('query-paged.json')).query(select('Customer').where('Id', 'IN', ['5', '6']).maxResults(2))).length, 2);
  });

  void it('batch: per-item entity, 610 not found, 5010 stale, query rows — matched by bId', async () => {
    const results = await replay(use('batch-basic.json')).batch([
      { bId: 'bid1', operation: 'create', entity: 'Vendor', body: { DisplayName: 'Boraski Family Store' } },
      { bId: 'bid2', operation: 'delete', entity: 'Invoice', body: { Id: '129', SyncToken: '0' } },
      { bId: 'bid3', operation: 'update', entity: 'Invoice', body: { Id: '11', SyncToken: '0', sparse: true } },
      { bId: 'bid4', query: select('Invoice') },
    ], { requestId: 'batch-1' });
    const [vendor, missing, stale, query] = results;
    assert.ok(vendor && 'entity' in vendor && vendor.entityName === 'Vendor');
    assert.ok(missing && 'error' in missing && missing.error instanceof QboNotFoundError);
    assert.ok(stale && 'error' in stale && stale.error instanceof QboStaleObjectError);
    assert.ok(query && 'rows' in query);
  });

  void it('faults: each recorded error becomes its typed error, with code, element and intuit_tid', async () => {
    const expectFault = async (name: string, call: (c: QboClient) => Promise<unknown>, type: new (...a: never[]) => Error, qboCode: string) => {
      const fixture = use(name);
      await assert.rejects(call(replay(fixture)), (error: unknown) => {
        assert.ok(error instanceof type, `${name}: ${String(error)}`);
        assert.equal((error as QboValidationError).qboCode, qboCode);
        assert.equal((error as QboValidationError).intuitTid, fixture.response.headers?.intuit_tid ?? null);
        return true;
      });
    };
    await expectFault('auth-401-token-expired.json', (c) => c.read('Customer', '1'), QboAuthError, '3200');
    await expectFault('customer-duplicate-name-6240.json', (c) => c.create('Customer', {}, write), QboDuplicateNameError, '6240');
    await expectFault('customer-invalid-id-2030.json', (c) => c.read('Customer', '1.5'), QboValidationError, '2030');
    await expectFault('error-unsupported-operation-code500.json', (c) => c.read('Customer', '1/5'), QboValidationError, '500');
    await expectFault('invoice-unknown-property-2010.json', (c) => c.create('Invoice', { BadJson: true }, write), QboValidationError, '2010');
    await expectFault('query-invalid-entity-4001.json', (c) => c.query(select('Customer')), QboValidationError, '4001');
    const attachable = use('attachable-upload-link-error-6000.json').response.body as { AttachableResponse: unknown[] };
    const fault = parseFault(JSON.stringify(attachable.AttachableResponse[0]));
    assert.equal(classifyFault(200, fault), 'QBO_VALIDATION');
    assert.equal(fault?.items[0]?.code, '6000');
  });

  void it('XML bodies: the throttle (429 and the old 403) is throttling, the duplicate name is 6240', async () => {
    for (const [name, status] of [['throttle-429-too-many-requests-3001.xml', 429], ['throttle-403-exceeded-3001.xml', 403]] as const) {
      handled.add(name);
      const text = readFileSync(join(dir, name), 'utf8');
      await assert.rejects(replay({ status, text, headers: { 'content-type': 'application/xml' } }).read('Customer', '1'), QboThrottledError);
    }
    handled.add('customer-duplicate-name-6240.xml');
    const text = readFileSync(join(dir, 'customer-duplicate-name-6240.xml'), 'utf8');
    await assert.rejects(replay({ status: 400, text }).create('Customer', {}, write), (error: unknown) => {
      assert.ok(error instanceof QboDuplicateNameError);
      assert.equal(error.element, '');
      return true;
    });
  });

  void it('OAuth: discovery, token answers (with the hard expiry), invalid_grant and error placeholders', async () => {
    const as = discoverySchema.parse(use('oauth-discovery.json').response.body) as oauth.AuthorizationServer;
    assert.match(as.token_endpoint ?? '', /tokens\/bearer$/);
    const ep = { as, client: { client_id: 'cid' } };
    const answer = (f: Fixture) => new Response(JSON.stringify(f.response.body), { status: f.response.status ?? 200, headers: { 'content-type': 'application/json' } });
    for (const name of ['oauth-token-exchange.json', 'oauth-refresh.json', 'oauth-refresh-dotnet.json']) {
      const grant = await tokenGrantFromResponse(ep, answer(use(name)));
      assert.equal(grant.expiresInS, 3600);
      assert.ok(grant.refreshExpiresInS >= 8_726_400);
      assert.equal(grant.hardExpiresInS, null);
    }
    assert.equal((await tokenGrantFromResponse(ep, answer(use('oauth-token-hard-expires.json')))).hardExpiresInS, 156_032_154);
    for (const [name, code] of [['oauth-invalid-grant.json', 'invalid_grant'], ['oauth-token-error-placeholder.json', 'error']] as const) {
      await assert.rejects(tokenGrantFromResponse(ep, answer(use(name))), (error: unknown) => error instanceof OAuthError && error.oauthError === code);
    }
    // Revocation answers: success is any 200; the error placeholder is an OAuth error body.
    assert.equal(await oauth.processRevocationResponse(answer(use('oauth-revoke-success.json'))), undefined);
    await assert.rejects(oauth.processRevocationResponse(answer(use('oauth-revoke-error-placeholder.json'))), oauth.ResponseBodyError);
  });

  void it('covers every fixture file', () => {
    const all = readdirSync(dir).filter((f) => f.endsWith('.json') || f.endsWith('.xml'));
    assert.deepEqual(all.filter((f) => !handled.has(f)), []);
  });
});
