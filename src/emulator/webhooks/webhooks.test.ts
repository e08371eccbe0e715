import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectedEmulator, type ConnectedEmulator } from '../testing.ts';

type Row = Record<string, unknown>;

interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

/** A real HTTP endpoint standing for the app: records deliveries, answers with the next queued status. */
async function receiver(): Promise<{ url: string; got: Received[]; answers: number[]; server: Server; waitFor(n: number): Promise<void> }> {
  const got: Received[] = [];
  const answers: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/qbo/webhooks`, got, answers, server,
    async waitFor(n) {
      for (let i = 0; i < 500 && got.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(got.length >= n, `expected ${n} deliveries, got ${got.length}`);
    },
  };
}

const VERIFIER = 'verifier-token-123';
const entitiesOf = (r: Received): Row[] =>
  ((((JSON.parse(r.raw) as Row).eventNotifications as Row[])[0]?.dataChangeEvent as Row).entities as Row[]);

void describe('emulator webhooks and change data capture', () => {
  let emu: ConnectedEmulator;
  let hook: Awaited<ReturnType<typeof receiver>>;
  before(async () => {
    hook = await receiver();
    // 20/30/50 minutes become 12/18/30 ms.
    emu = await connectedEmulator({ webhookUrl: hook.url, webhookVerifier: VERIFIER, webhookBackoffScale: 0.00001 });
  });
  after(async () => {
    await emu.close();
    hook.server.close();
  });

  async function invoice(amount: string): Promise<Row> {
    const res = await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: '1' } } }] } });
    return (res.body as Row).Invoice as Row;
  }

  void it("posts Intuit's signed eventNotifications payload after each change", async () => {
    const start = hook.got.length;
    const inv = await invoice('10.00');
    await hook.waitFor(start + 1);
    const delivery = hook.got[start];
    assert.ok(delivery);
    const expected = createHmac('sha256', VERIFIER).update(delivery.raw).digest('base64');
    assert.equal(delivery.headers['intuit-signature'], expected);
    assert.equal(delivery.headers['content-type'], 'application/json; charset=utf-8');
    const body = JSON.parse(delivery.raw) as Row;
    assert.equal((body.eventNotifications as Row[])[0]?.realmId, emu.realmId);
    const [event] = entitiesOf(delivery);
    assert.equal(event?.name, 'Invoice');
    assert.equal(event?.id, inv.Id);
    assert.equal(event?.operation, 'Create');
    assert.match(String(event?.lastUpdated), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/);
    const payment = await emu.api('/payment', { body: { CustomerRef: { value: '1' }, TotalAmt: 10, Line: [{ Amount: 10, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] } });
    await hook.waitFor(start + 2);
    const [paid] = entitiesOf(hook.got[start + 1] as Received);
    assert.deepEqual([paid?.name, paid?.id, paid?.operation], ['Payment', ((payment.body as Row).Payment as Row).Id, 'Create']);
  });

  void it('retries 500/503 with the back-off, gives up after three retries, and never retries a 401', async () => {
    const start = hook.got.length;
    hook.answers.push(500, 503);
    await invoice('1.00');
    await hook.waitFor(start + 3);
    await emuIdle(emu);
    assert.equal(hook.got.length, start + 3, 'two failures then one success');
    assert.equal(hook.got[start]?.raw, hook.got[start + 2]?.raw, 'a retry sends the same notification');
    hook.answers.push(500, 500, 500, 500);
    await invoice('2.00');
    await hook.waitFor(start + 7);
    await emuIdle(emu);
    assert.equal(hook.got.length, start + 7, 'the first try and three retries, then dropped');
    hook.answers.push(401);
    await invoice('3.00');
    await hook.waitFor(start + 8);
    await emuIdle(emu);
    assert.equal(hook.got.length, start + 8);
    const state = (await emu.control('/webhooks')).body as { stats: Row };
    assert.ok(Number(state.stats.abandoned) >= 2);
  });

  void it('the drop fault loses deliveries; per-realm endpoints and switching off', async () => {
    assert.equal((await emu.control('/webhooks/faults', { drop: 2 })).status, 200);
    const start = hook.got.length;
    await invoice('4.00');
    await invoice('5.00');
    await emuIdle(emu);
    assert.equal(hook.got.length, start, 'two deliveries lost');
    await invoice('6.00');
    await hook.waitFor(start + 1);
    const other = await receiver();
    try {
      assert.equal((await emu.control(`/realms/${emu.realmId}/webhooks`, { url: other.url, verifier: 'other' })).status, 200);
      await invoice('7.00');
      await other.waitFor(1);
      assert.equal(other.got[0]?.headers['intuit-signature'], createHmac('sha256', 'other').update(other.got[0]?.raw ?? '').digest('base64'));
      assert.equal((await emu.control(`/realms/${emu.realmId}/webhooks`, { url: null })).status, 200);
      await invoice('8.00');
      await emuIdle(emu);
      assert.equal(other.got.length, 1);
      assert.equal(hook.got.length, start + 1);
    } finally {
      other.server.close();
      await emu.control(`/realms/${emu.realmId}/webhooks`, { url: hook.url, verifier: VERIFIER });
    }
  });

  void it('cdc: changed and deleted invoices and payments, oldest first, at most 1,000 per entity, 30 days back', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const inv = await invoice('9.00');
    const gone = await invoice('9.50');
    await emu.api('/invoice?operation=delete', { body: { Id: gone.Id, SyncToken: gone.SyncToken } });
    await emu.api('/payment', { body: { CustomerRef: { value: '1' }, TotalAmt: 4, Line: [{ Amount: 4, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }] } });
    const res = await emu.api(`/cdc?entities=Invoice,Payment&changedSince=${encodeURIComponent(since)}`);
    assert.equal(res.status, 200);
    const groups = (((res.body as Row).CDCResponse as Row[])[0]?.QueryResponse as Row[]);
    const invoices = groups.find((g) => g.Invoice)?.Invoice as Row[];
    const payments = groups.find((g) => g.Payment)?.Payment as Row[];
    assert.ok(invoices.some((r) => r.Id === inv.Id && r.Balance === 5));
    assert.ok(invoices.some((r) => r.Id === gone.Id && r.status === 'Deleted'));
    assert.ok(payments.length >= 1);
    const old = await emu.api(`/cdc?entities=Invoice&changedSince=${encodeURIComponent(new Date(Date.now() - 31 * 86_400_000).toISOString())}`);
    assert.equal(old.status, 400);
    const batch = Array.from({ length: 30 }, (_, i) => ({ bId: `b${i}`, operation: 'create', Invoice: { CustomerRef: { value: '2' }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 1, SalesItemLineDetail: { ItemRef: { value: '1' } } }] } }));
    for (let i = 0; i < 34; i++) await emu.api('/batch', { body: { BatchItemRequest: batch } });
    const full = await emu.api(`/cdc?entities=Invoice&changedSince=${encodeURIComponent(since)}`);
    const page = ((((full.body as Row).CDCResponse as Row[])[0]?.QueryResponse as Row[])[0] as Row);
    assert.equal((page.Invoice as Row[]).length, 1000);
    assert.equal(page.maxResults, 1000);
    const times = (page.Invoice as Row[]).map((r) => Date.parse(String((r.MetaData as Row).LastUpdatedTime)));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest changes first');
    await emuIdle(emu);
  });
});

async function emuIdle(emu: ConnectedEmulator): Promise<void> {
  // Deliveries run after the API answer; wait until the emulator reports none pending.
  for (let i = 0; i < 500; i++) {
    const state = (await emu.control('/webhooks')).body as { stats: { pending: number } };
    if (state.stats.pending === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('webhook deliveries still pending');
}
