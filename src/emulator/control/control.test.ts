import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { emulatorPlugin } from '../index.ts';
import { connectedEmulator, emulatorPool } from '../testing.ts';

type Row = Record<string, unknown>;
const pool = emulatorPool();
const open = pool.open;
after(() => pool.closeAll());

void describe('throttles', () => {
  void it('answers the 11th request in one second with 429, the throttle body and Retry-After', async () => {
    let t = 1_000_000;
    const emu = await open({ limits: true, now: () => t });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await emu.api('/customer/1')).status);
    assert.deepEqual(statuses, [...Array<number>(10).fill(200), 429]);
    const res = await emu.api('/customer/1');
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    const error = ((res.body as Row).Fault as { Error: Array<Row>; type: string });
    assert.equal(error.type, 'SERVICE');
    assert.equal(error.Error[0]?.code, '3001');
    assert.equal(error.Error[0]?.Message, 'message=ThrottleExceeded; errorCode=003001; statusCode=429');
    t += 1001;
    assert.equal((await emu.api('/customer/1')).status, 200);
    const state = (await emu.control('/state')).body as { counters: { throttled: number; requests: number } };
    assert.equal(state.counters.throttled, 2);
  });

  void it('allows at most 500 requests and 40 batch calls per realm in 60 s', async () => {
    let t = 5_000_000;
    const emu = await open({ limits: true, now: () => t });
    let statuses: number[] = [];
    for (let i = 0; i < 41; i++) {
      t += 150;
      statuses.push((await emu.api('/batch', { body: { BatchItemRequest: [{ bId: 'q', Query: 'select count(*) from Item' }] } })).status);
    }
    assert.equal(statuses.filter((s) => s === 429).length, 1);
    assert.equal(statuses.at(-1), 429);
    t += 60_000;
    statuses = [];
    for (let i = 0; i < 501; i++) {
      t += 110;
      statuses.push((await emu.api('/item/1')).status);
    }
    assert.equal(statuses.indexOf(429), 500);
  });

  void it('is off with limits: false', async () => {
    const emu = await open({ limits: false, now: () => 42_000_000 });
    for (let i = 0; i < 20; i++) assert.equal((await emu.api('/item/1')).status, 200);
  });
});

void describe('control endpoints', () => {
  void it('injects status faults, delays, drops, and afterCommit failures that still commit', async () => {
    const emu = await open();
    await emu.control('/faults', { rules: [{ method: 'POST', path: '/invoice', status: 503, times: 2 }] });
    const body = { CustomerRef: { value: '1' }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 5, SalesItemLineDetail: { ItemRef: { value: '1' } } }] };
    assert.equal((await emu.api('/invoice', { body })).status, 503);
    assert.equal((await emu.api('/invoice', { body })).status, 503);
    assert.equal((await emu.api('/invoice', { body })).status, 200);

    await emu.control('/faults', { rules: [{ path: '/invoice', status: 500, afterCommit: true }] });
    const before = ((await emu.control(`/realms/${emu.realmId}/entities/Invoice`)).body as { count: number }).count;
    const failed = await emu.api('/invoice?requestid=r-1', { body });
    assert.equal(failed.status, 500);
    assert.equal(((failed.body as Row).Fault as Row).type, 'SystemFault');
    const after1 = ((await emu.control(`/realms/${emu.realmId}/entities/Invoice`)).body as { count: number }).count;
    assert.equal(after1, before + 1, 'the write was applied');
    const retried = await emu.api('/invoice?requestid=r-1', { body });
    assert.equal(retried.status, 200);
    assert.equal(((await emu.control(`/realms/${emu.realmId}/entities/Invoice`)).body as { count: number }).count, after1, 'requestid replay: no duplicate');

    await emu.control('/faults', { rules: [{ path: '/invoice', drop: true, afterCommit: true }] });
    await assert.rejects(emu.api('/invoice', { body }));
    assert.equal(((await emu.control(`/realms/${emu.realmId}/entities/Invoice`)).body as { count: number }).count, after1 + 1);

    await emu.control('/faults', { rules: [{ path: '/customer', drop: true }] });
    await assert.rejects(emu.api('/customer/1'));
    await emu.control('/faults', { rules: [{ path: '/customer', delayMs: 150 }] });
    const started = Date.now();
    assert.equal((await emu.api('/customer/1')).status, 200);
    assert.ok(Date.now() - started >= 140);
    await emu.control('/faults', { rules: [{ path: '/customer', status: 401 }] });
    const unauthorized = await emu.api('/customer/1');
    assert.equal(unauthorized.status, 401);
    assert.ok((unauthorized.body as Row).fault);
    assert.equal((await emu.control('/faults', { rules: [{ path: 'x' }] })).status, 400);
  });

  void it('creates realms, disconnects them, lists entities including inactive rows, and resets', async () => {
    const emu = await open();
    const created = (await emu.control('/realms', { name: 'Second Co' })).body as { realmId: string };
    assert.match(created.realmId, /^\d{16}$/);
    const state = (await emu.control('/state')).body as { realms: Array<{ realmId: string; entities: Row }>; clock: Row; tokens: Row };
    assert.equal(state.realms.length, 2);
    assert.equal(state.realms.find((r) => r.realmId === created.realmId)?.entities.TaxCode, 3);
    const items = (await emu.control(`/realms/${emu.realmId}/entities/item`)).body as { rows: Row[] };
    assert.ok(items.rows.some((r) => r.Active === false));
    assert.equal((await emu.control(`/realms/${emu.realmId}/disconnect`, {})).status, 200);
    assert.equal((await emu.api('/customer/1')).status, 401);
    await emu.control('/reset', {});
    const fresh = (await emu.control('/state')).body as { realms: unknown[]; defaultRealmId: string };
    assert.equal(fresh.realms.length, 1);
    assert.equal(fresh.defaultRealmId, emu.realmId);
  });

  void it('keeps realms, data and tokens in the state file across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qbo-emu-'));
    try {
      const stateFile = join(dir, 'state.json');
      const first = await connectedEmulator({ stateFile });
      const made = await first.api('/customer', { body: { DisplayName: 'Persisted Co' } });
      assert.equal(made.status, 200);
      await first.close();
      const second = await connectedEmulator({ stateFile });
      try {
        assert.equal(second.realmId, first.realmId);
        const q = await second.api(`/query?query=${encodeURIComponent("select * from Customer where DisplayName = 'Persisted Co'")}`);
        assert.equal((((q.body as Row).QueryResponse as Row).Customer as Row[]).length, 1);
        second.accessToken = first.accessToken;
        assert.equal((await second.api('/customer/1')).status, 200, 'tokens survive a restart');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('mounts into a host app that ignores trailing slashes', async () => {
    const app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await app.register(emulatorPlugin, { prefix: '/qbo-emulator' });
    try {
      for (const path of ['openid_configuration', 'openid_configuration/']) {
        assert.equal((await app.inject({ url: `/qbo-emulator/.well-known/${path}` })).statusCode, 200);
      }
    } finally {
      await app.close();
    }
  });

  void it("answers 401 code 100 when a token is used for another realm's company", async () => {
    const emu = await open();
    const other = (await emu.control('/realms', { name: 'Other Co' })).body as { realmId: string };
    const res = await fetch(`${emu.url}/v3/company/${other.realmId}/customer/1`, { headers: { authorization: `Bearer ${emu.accessToken}` } });
    assert.equal(res.status, 401);
    assert.equal((((await res.json()) as Row).Fault as { Error: Array<{ code: string }> }).Error[0]?.code, '100');
  });

  void it('mounts as a Fastify plugin under a prefix and advertises prefixed URLs', async () => {
    const app = Fastify();
    await app.register(emulatorPlugin, { prefix: '/qbo-emulator', autoConsent: true });
    try {
      const doc = await app.inject({ url: '/qbo-emulator/.well-known/openid_sandbox_configuration', headers: { host: 'app.example:3000' } });
      assert.equal(doc.json<Row>().token_endpoint, 'http://app.example:3000/qbo-emulator/oauth2/v1/tokens/bearer');
      const page = await app.inject({ url: '/qbo-emulator/' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Amy&#39;s Bird Sanctuary/);
      const consent = await app.inject({ url: '/qbo-emulator/connect/oauth2?client_id=emulator-client&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fqbo%2Fcallback&response_type=code&scope=com.intuit.quickbooks.accounting&state=s' });
      assert.equal(consent.statusCode, 302);
    } finally {
      await app.close();
    }
  });
});
