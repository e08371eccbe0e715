import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectedEmulator, type ConnectedEmulator } from './testing.ts';
import { structuralDifferences } from './structure.ts';
import { qboFixturesDir } from '../../test/support/fixtures-dir.ts';

/**
 * Replays every recorded QBO exchange in test/fixtures/qbo against the emulator and checks
 * the answer has the recorded status, headers and body structure (test/fixtures/qbo/README.md).
 */
const FIXTURES = qboFixturesDir();

interface Fixture {
  request: { method: string; path: string; body: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

const SKIPPED: Record<string, string> = {
  'cdc-basic': 'Estimate is out of the emulator\'s scope, and changedSince 2011 is beyond the 30-day CDC window',
  'attachable-upload-link-error-6000': '/upload (attachments) is out of scope',
  'report-profit-and-loss': '/reports is out of scope',
};

type Row = Record<string, unknown>;

async function created(emu: ConnectedEmulator, entity: string, body: unknown): Promise<Row> {
  const res = await emu.api(`/${entity.toLowerCase()}`, { body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as Row)[entity] as Row;
}

const designLine = { Description: 'Custom Design', Amount: 337.5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '4', name: 'Design' }, UnitPrice: 75, Qty: 4.5, TaxCodeRef: { value: 'NON' } } };
const servicesInvoice = { Line: [{ Amount: 100.0, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1', name: 'Services' } } }], CustomerRef: { value: '1' } };

async function salesReceiptWithSyncToken(emu: ConnectedEmulator, syncToken: number): Promise<Row> {
  let row = await created(emu, 'SalesReceipt', { Line: [designLine], CustomerRef: { value: '6' } });
  for (let i = 0; i < syncToken; i++) {
    const res = await emu.api('/salesreceipt', { body: { Id: row.Id, SyncToken: row.SyncToken, sparse: true, PrivateNote: `edit ${i}` } });
    row = (res.body as Row).SalesReceipt as Row;
  }
  return row;
}

/** Preconditions: records the recording's ids point at, and the request rewritten to our ids. */
const setups: Record<string, (emu: ConnectedEmulator, f: Fixture) => Promise<{ path?: string; body?: unknown } | void>> = {
  'invoice-read': async (emu) => ({ path: `/invoice/${String((await created(emu, 'Invoice', servicesInvoice)).Id)}` }),
  'invoice-delete': async (emu) => ({ body: { Id: (await created(emu, 'Invoice', servicesInvoice)).Id, SyncToken: '0' } }),
  'invoice-void': async (emu) => ({ body: { Id: (await created(emu, 'Invoice', servicesInvoice)).Id, SyncToken: '0' } }),
  'customer-read-minorversion': async (emu) => ({ path: `/customer/${String((await created(emu, 'Customer', { DisplayName: 'Doe2, Jane' })).Id)}?minorversion=8` }),
  'customer-update': async (emu, f) => ({ body: { ...(f.request.body as Row), Id: (await created(emu, 'Customer', { DisplayName: 'Doe2, Jane' })).Id } }),
  'salesreceipt-update': async (emu, f) => ({ body: { ...(f.request.body as Row), Id: (await salesReceiptWithSyncToken(emu, 4)).Id } }),
  'batch-basic': async (emu, f) => {
    const receipt = await salesReceiptWithSyncToken(emu, 1);
    const items = ((f.request.body as Row).BatchItemRequest as Row[]).map((item) =>
      item.bId === 'bid3' ? { ...item, SalesReceipt: { ...(item.SalesReceipt as Row), Id: receipt.Id } } : item);
    return { body: { BatchItemRequest: items } };
  },
  'auth-401-token-expired': async (emu) => {
    await emu.control('/clock', { advanceSeconds: 3601 });
  },
};

const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && !f.startsWith('oauth-')).sort();

void describe('fixture replays (test/fixtures/qbo)', () => {
  let emu: ConnectedEmulator;
  before(async () => {
    emu = await connectedEmulator();
  });
  after(async () => emu.close());

  for (const file of files) {
    const name = file.replace(/\.json$/, '');
    const fixture = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Fixture & { request?: unknown };
    if (!fixture.request) continue;
    const skip = SKIPPED[name];
    if (skip) {
      void it(`${name}: skipped — ${skip}`, { skip });
      continue;
    }
    void it(`${name}: same status, headers and body structure`, async () => {
      // Each replay gets a fresh company so preconditions (names, doc numbers, clock) never collide.
      await emu.control('/reset', {});
      const fresh = await connectedEmulator();
      try {
        const rewrite = (await setups[name]?.(fresh, fixture)) ?? {};
        const path = (rewrite.path ?? fixture.request.path.replace(/^\/v3\/company\/-COMPANY_ID-/, '')).replace(/-COMPANY_ID-/g, fresh.realmId);
        const body = rewrite.body ?? fixture.request.body;
        const res = await fresh.api(path, { method: fixture.request.method, ...(body !== null ? { body } : {}) });
        assert.equal(res.status, fixture.response.status, JSON.stringify(res.body));
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        assert.match(res.headers.get('intuit_tid') ?? '', /^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
        if (fixture.response.headers['www-authenticate']) assert.equal(res.headers.get('www-authenticate'), fixture.response.headers['www-authenticate']);
        assert.deepEqual(structuralDifferences(fixture.response.body, res.body), []);
      } finally {
        await fresh.close();
      }
    });
  }
});

void describe('OAuth fixture shapes', () => {
  void it('token exchange, refresh and hard-expiry answers have the recorded structure', async () => {
    const emu = await connectedEmulator();
    try {
      const load = (n: string) => (JSON.parse(readFileSync(join(FIXTURES, `${n}.json`), 'utf8')) as Fixture).response.body as Row;
      const res = await fetch(`${emu.url}/oauth2/v1/tokens/bearer`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('emulator-client:emulator-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', 'x-include-refresh-token-hard-expires-in': 'true' },
        body: `grant_type=refresh_token&refresh_token=${emu.refreshToken}`,
      });
      const body = (await res.json()) as Row;
      assert.equal(res.status, 200);
      const { id_token: _ignored, ...refreshShape } = load('oauth-refresh');
      assert.deepEqual(structuralDifferences(refreshShape, body), []);
      assert.deepEqual(structuralDifferences(load('oauth-token-hard-expires'), body), []);
      const bad = await fetch(`${emu.url}/oauth2/v1/tokens/bearer`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('emulator-client:emulator-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&refresh_token=nope',
      });
      assert.equal(bad.status, 400);
      assert.deepEqual(structuralDifferences(load('oauth-invalid-grant'), await bad.json()), []);
    } finally {
      await emu.close();
    }
  });
});
