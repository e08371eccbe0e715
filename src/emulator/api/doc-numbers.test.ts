import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectedEmulator, type ConnectedEmulator } from '../testing.ts';

type Row = Record<string, unknown>;
const faultCode = (body: unknown): string | undefined => ((body as Row).Fault as { Error: Array<{ code: string }> } | undefined)?.Error[0]?.code;
const LINE = { DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: '1' } } };

/** Creates an invoice (DocNumber omitted → automatic numbering) and answers the stored row or the fault code. */
async function invoice(emu: ConnectedEmulator, docNumber?: string, query = ''): Promise<Row> {
  const res = await emu.api(`/invoice${query}`, { body: { CustomerRef: { value: '1' }, Line: [LINE], ...(docNumber !== undefined ? { DocNumber: docNumber } : {}) } });
  return res.status === 200 ? ((res.body as Row).Invoice as Row) : { fault: faultCode(res.body) };
}

async function query(emu: ConnectedEmulator, text: string): Promise<Row> {
  const res = await emu.api(`/query?query=${encodeURIComponent(text)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as Row).QueryResponse as Row;
}

void describe('DocNumber: duplicates (6140), automatic numbers and queries', () => {
  let emu: ConnectedEmulator;
  before(async () => {
    emu = await connectedEmulator();
  });
  after(async () => emu.close());

  void it('a number is taken once created, also through a batch, and names its holder', async () => {
    const first = await invoice(emu, 'DN-1');
    const dup = await emu.api('/invoice', { body: { CustomerRef: { value: '1' }, Line: [LINE], DocNumber: 'DN-1' } });
    assert.match(JSON.stringify(dup.body), new RegExp(`DocNumber=DN-1 is assigned to TxnType=Invoice with TxnId=${String(first.Id)}`));
    assert.equal((await invoice(emu, 'dn-1')).DocNumber, 'dn-1', 'the rule compares numbers exactly');
    const batch = await emu.api('/batch', {
      body: {
        BatchItemRequest: [
          { bId: 'a', operation: 'create', Invoice: { CustomerRef: { value: '1' }, Line: [LINE], DocNumber: 'DN-B' } },
          { bId: 'b', operation: 'create', Invoice: { CustomerRef: { value: '1' }, Line: [LINE], DocNumber: 'DN-B' } },
        ],
      },
    });
    const items = (batch.body as Row).BatchItemResponse as Row[];
    assert.ok(items[0]?.Invoice);
    assert.equal(faultCode(items[1]), '6140');
    assert.equal((await invoice(emu, 'DN-B')).fault, '6140');
    assert.equal((await emu.api('/creditmemo', { body: { CustomerRef: { value: '1' }, Line: [LINE], DocNumber: 'DN-1' } })).status, 200, 'numbers are per entity type');
  });

  void it('an update that changes the number frees the old one and takes the new one (sparse and full)', async () => {
    const made = await invoice(emu, 'DN-OLD');
    const taken = await invoice(emu, 'DN-TAKEN');
    const clash = await emu.api('/invoice', { body: { Id: made.Id, SyncToken: made.SyncToken, sparse: true, DocNumber: 'DN-TAKEN' } });
    assert.equal(faultCode(clash.body), '6140');
    const moved = await emu.api('/invoice', { body: { Id: made.Id, SyncToken: made.SyncToken, sparse: true, DocNumber: 'DN-NEW' } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const row = (moved.body as Row).Invoice as Row;
    assert.equal((await invoice(emu, 'DN-NEW')).fault, '6140');
    assert.equal((await invoice(emu, 'DN-OLD')).DocNumber, 'DN-OLD', 'the old number is free again');
    const full = await emu.api('/invoice', { body: { Id: row.Id, SyncToken: row.SyncToken, CustomerRef: { value: '1' }, Line: [LINE], DocNumber: 'DN-FULL' } });
    assert.equal(full.status, 200, JSON.stringify(full.body));
    assert.equal((await invoice(emu, 'DN-NEW')).DocNumber, 'DN-NEW');
    assert.equal((await invoice(emu, 'DN-FULL')).fault, '6140');
    const same = await emu.api('/invoice', { body: { Id: taken.Id, SyncToken: taken.SyncToken, sparse: true, PrivateNote: 'keeps its number' } });
    assert.equal(same.status, 200, 'an update keeping its own number is no duplicate');
  });

  void it('a voided document keeps its number; a deleted one gives it back', async () => {
    const made = await invoice(emu, 'DN-VOID');
    const voided = await emu.api('/invoice?operation=void', { body: { Id: made.Id, SyncToken: made.SyncToken } });
    assert.equal(((voided.body as Row).Invoice as Row).DocNumber, 'DN-VOID');
    assert.equal((await invoice(emu, 'DN-VOID')).fault, '6140');
    const deleted = await emu.api('/invoice?operation=delete', { body: { Id: made.Id, SyncToken: '1' } });
    assert.equal(deleted.status, 200);
    assert.equal((await invoice(emu, 'DN-VOID')).DocNumber, 'DN-VOID');
  });

  void it('allowduplicatedocnum lets a second holder in; the first one is named afterwards', async () => {
    const first = await invoice(emu, 'DN-TWICE');
    const second = await invoice(emu, 'DN-TWICE', '?include=allowduplicatedocnum');
    assert.equal(second.DocNumber, 'DN-TWICE');
    const clash = await emu.api('/invoice', { body: { Id: second.Id, SyncToken: second.SyncToken, sparse: true, PrivateNote: 'x' } });
    assert.match(JSON.stringify(clash.body), new RegExp(`TxnId=${String(first.Id)}"`));
  });

  void it('numbers automatically from the largest number in use, also after it changes or goes', async () => {
    const a = await invoice(emu);
    const next = Number(a.DocNumber) + 1;
    const b = await invoice(emu);
    assert.equal(b.DocNumber, String(next));
    await emu.api('/invoice?operation=delete', { body: { Id: b.Id, SyncToken: b.SyncToken } });
    assert.equal((await invoice(emu)).DocNumber, String(next), 'the deleted largest number is used again');
    const c = await invoice(emu, String(next + 50));
    assert.equal((await invoice(emu)).DocNumber, String(next + 51));
    await emu.api('/invoice', { body: { Id: c.Id, SyncToken: c.SyncToken, sparse: true, DocNumber: 'DN-WORDS' } });
    assert.equal((await invoice(emu)).DocNumber, String(next + 52));
  });

  void it('DocNumber = and IN answer as the full scan does: case, numbers, paging, count, other conditions', async () => {
    for (const doc of ['Q-Mixed', 'q-mixed', '000777', '777.0', 'Q-Other']) await invoice(emu, doc, '?include=allowduplicatedocnum');
    await invoice(emu, 'Q-MIXED', '?include=allowduplicatedocnum');
    // A date-like value in the list makes the engine scan every row: the reference answer.
    const scan = '1900-01-01';
    const cases: Array<[string, string]> = [
      ["DocNumber = 'q-MIXED'", `DocNumber IN ('q-MIXED', '${scan}')`],
      ['DocNumber = 777', `DocNumber IN (777, '${scan}')`],
      ["docnumber IN ('777', 'Q-OTHER', 'q-other', 'none')", `DocNumber IN ('777', 'Q-OTHER', 'none', '${scan}')`],
      ["DocNumber IN ('Q-Mixed', '777') AND TotalAmt = '10'", `DocNumber IN ('Q-Mixed', '777', '${scan}') AND TotalAmt = '10'`],
      ["TotalAmt > '5' AND DocNumber = 'Q-Mixed'", `TotalAmt > '5' AND DocNumber IN ('Q-Mixed', '${scan}')`],
      ["DocNumber = 'nobody'", `DocNumber IN ('nobody', '${scan}')`],
    ];
    const tails = ['', ' ORDERBY DocNumber DESC', ' STARTPOSITION 2 MAXRESULTS 2', ' ORDERBY TxnDate STARTPOSITION 3'];
    for (const [fast, reference] of cases) {
      for (const tail of tails) {
        assert.deepEqual(await query(emu, `select * from Invoice where ${fast}${tail}`), await query(emu, `select * from Invoice where ${reference}${tail}`), fast + tail);
      }
      assert.deepEqual(await query(emu, `select count(*) from Invoice where ${fast}`), await query(emu, `select count(*) from Invoice where ${reference}`), fast);
    }
    assert.equal(((await query(emu, "select count(*) from Invoice where DocNumber IN ('Q-MIXED', '0777')")).totalCount), 5);
    const ids = (((await query(emu, "select Id from Invoice where DocNumber IN ('q-mixed')")).Invoice as Row[])).map((r) => Number(r.Id));
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'in Id order');
  });
});

void describe('DocNumber across a state-file restart', () => {
  void it('numbers stay taken and automatic numbering continues', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qbo-emu-'));
    try {
      const stateFile = join(dir, 'state.json');
      const first = await connectedEmulator({ stateFile });
      await invoice(first, 'ST-1');
      const auto = await invoice(first);
      await first.close();
      const second = await connectedEmulator({ stateFile });
      try {
        second.accessToken = first.accessToken;
        assert.equal((await invoice(second, 'ST-1')).fault, '6140');
        assert.equal((await invoice(second)).DocNumber, String(Number(auto.DocNumber) + 1));
        assert.equal(((await query(second, "select count(*) from Invoice where DocNumber = 'st-1'")).totalCount), 1);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
