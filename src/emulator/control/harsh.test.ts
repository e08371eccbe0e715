import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emulatorPool, type ConnectedEmulator } from '../testing.ts';

/** The harsh switches of issue 13, over HTTP: each one off by default and on per realm. */
type Row = Record<string, unknown>;
const pool = emulatorPool();
const open = pool.open;
after(() => pool.closeAll());

const invoice = (doc: string): Row => ({
  DocNumber: doc, CustomerRef: { value: '1' },
  Line: [{ DetailType: 'SalesItemLineDetail', Amount: 5, SalesItemLineDetail: { ItemRef: { value: '1' } } }],
});
const count = async (emu: ConnectedEmulator, entity = 'Invoice'): Promise<number> =>
  ((await emu.control(`/realms/${emu.realmId}/entities/${entity}`)).body as { count: number }).count;
const queryIds = async (emu: ConnectedEmulator, query: string): Promise<string[]> => {
  const res = await emu.api(`/query?query=${encodeURIComponent(query)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const answer = (res.body as { QueryResponse: Record<string, Row[] | number> }).QueryResponse;
  return ((answer.Invoice ?? []) as Row[]).map((r) => String(r.Id));
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

void describe('emulator harsh switches', () => {
  void it('rejects a repeated DocNumber by default and accepts it with acceptDuplicateDocNumbers', async () => {
    const kind = await open();
    assert.equal((await kind.api('/invoice', { body: invoice('H-1') })).status, 200);
    const second = await kind.api('/invoice', { body: invoice('H-1') });
    assert.equal(second.status, 400);
    assert.equal(((second.body as { Fault: { Error: Row[] } }).Fault.Error[0])?.code, '6140');

    const harsh = await open({ acceptDuplicateDocNumbers: true });
    assert.equal((await harsh.api('/invoice', { body: invoice('H-1') })).status, 200);
    assert.equal((await harsh.api('/invoice', { body: invoice('H-1') })).status, 200, 'a company with the duplicate-number warning off');
    const batch = await harsh.api('/batch', { body: { BatchItemRequest: [{ bId: '1', operation: 'create', Invoice: invoice('H-1') }] } });
    assert.equal((((batch.body as Row).BatchItemResponse as Row[])[0]?.Invoice as Row | undefined)?.DocNumber, 'H-1');
    assert.equal((await queryIds(harsh, "select * from Invoice where DocNumber = 'H-1'")).length, 3);
  });

  void it('forgets requestid answers after requestIdTtlSeconds (0: never remembers), by the emulator clock', async () => {
    let t = 2_000_000_000_000;
    const emu = await open({ requestIdTtlSeconds: 60, now: () => t });
    const first = await emu.api('/invoice?requestid=ttl-1', { body: invoice('T-1') });
    t += 59_000;
    const replay = await emu.api('/invoice?requestid=ttl-1', { body: invoice('T-1') });
    assert.deepEqual(replay.body, first.body, 'replayed within the TTL');
    assert.equal(await count(emu), 1);
    t += 2_000;
    const late = await emu.api('/invoice?requestid=ttl-1', { body: invoice('T-1') });
    assert.equal(late.status, 400, 'forgotten: the create runs again and meets the 6140 check');

    const never = await open({ requestIdTtlSeconds: 0, acceptDuplicateDocNumbers: true });
    await never.api('/invoice?requestid=r0', { body: invoice('Z-1') });
    await never.api('/invoice?requestid=r0', { body: invoice('Z-1') });
    assert.equal(await count(never), 2, 'requestid not remembered at all: two invoices');
    assert.equal(((await never.control('/state')).body as { realms: Array<{ requestIds: number }> }).realms[0]?.requestIds, 0);
  });

  void it('hides created and changed rows from queries for queryLagMs while reads by Id see them', async () => {
    let t = 2_000_000_000_000;
    const emu = await open({ queryLagMs: 3_000, now: () => t });
    const created = ((await emu.api('/invoice', { body: invoice('L-1') })).body as { Invoice: Row }).Invoice;
    assert.deepEqual(await queryIds(emu, "select * from Invoice where DocNumber = 'L-1'"), [], 'not yet in query results');
    assert.deepEqual(await queryIds(emu, 'select * from Invoice'), []);
    assert.equal((await emu.api(`/invoice/${String(created.Id)}`)).status, 200, 'a read by Id sees it at once');
    t += 3_000;
    assert.deepEqual(await queryIds(emu, "select * from Invoice where DocNumber = 'L-1'"), [String(created.Id)]);
    // A change lags too: queries keep showing the old version.
    await emu.api('/invoice', { body: { ...created, sparse: true, DocNumber: 'L-2' } });
    assert.deepEqual(await queryIds(emu, "select * from Invoice where DocNumber = 'L-1'"), [String(created.Id)], 'the old number still answers');
    assert.deepEqual(await queryIds(emu, "select * from Invoice where DocNumber = 'L-2'"), []);
    t += 3_001;
    assert.deepEqual(await queryIds(emu, "select * from Invoice where DocNumber = 'L-2'"), [String(created.Id)]);
    assert.deepEqual(await queryIds(emu, "select * from Invoice where DocNumber = 'L-1'"), []);
  });

  void it('commitDelayMs: drops the connection at once and applies the write later', async () => {
    const emu = await open();
    await emu.control('/faults', { rules: [{ method: 'POST', path: '/invoice', commitDelayMs: 400 }] });
    await assert.rejects(emu.api('/invoice?requestid=cd-1', { body: invoice('C-1') }));
    assert.equal(await count(emu), 0, 'nothing applied yet');
    assert.deepEqual(await queryIds(emu, "select * from Invoice where DocNumber = 'C-1'"), []);
    await sleep(600);
    assert.equal(await count(emu), 1, 'applied after the delay');
    const replay = await emu.api('/invoice?requestid=cd-1', { body: invoice('C-1') });
    assert.equal(replay.status, 200, 'its requestid answer is stored when it is applied');
    assert.equal(await count(emu), 1);
    assert.equal((await emu.control('/faults', { rules: [{ path: '/invoice', commitDelayMs: -1 }] })).status, 400);
  });

  void it('takes the switches per realm on POST /_emulator/realms and on an existing realm', async () => {
    const emu = await open();
    const made = await emu.control('/realms', { name: 'Harsh Co', acceptDuplicateDocNumbers: true, requestIdTtlSeconds: 0, queryLagMs: 3000 });
    assert.equal(made.status, 201);
    const state = (await emu.control('/state')).body as { realms: Array<{ realmId: string; behaviour: Row }> };
    assert.deepEqual(state.realms.find((r) => r.realmId === (made.body as Row).realmId)?.behaviour, { acceptDuplicateDocNumbers: true, requestIdTtlSeconds: 0, queryLagMs: 3000 });
    assert.deepEqual(state.realms.find((r) => r.realmId === emu.realmId)?.behaviour, { acceptDuplicateDocNumbers: false, queryLagMs: 0 }, 'the default realm is untouched');
    assert.equal((await emu.control('/realms', { queryLagMs: -5 })).status, 400);
    assert.equal((await emu.control('/realms', { acceptDuplicateDocNumbers: 'yes' })).status, 400);

    const switched = await emu.control(`/realms/${emu.realmId}/behaviour`, { acceptDuplicateDocNumbers: true });
    assert.equal(switched.status, 200);
    await emu.api('/invoice', { body: invoice('P-1') });
    assert.equal((await emu.api('/invoice', { body: invoice('P-1') })).status, 200);
    assert.equal((await emu.control('/realms/0000/behaviour', {})).status, 404);
  });
});
