import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import type { Db } from '../db.ts';
import {
  EXPORT_RUN_NAME, addRunMessages, closeAbandonedRuns, createRun, emptyCounts, finishRun, getRun, listRuns,
} from './repository.ts';
import { completeIntent, failIntents, getIntents, listPendingIntents, writePendingIntents } from './intents.ts';

async function company(db: Db, code: string): Promise<number> {
  const row = await db.kysely
    .insertInto('companies')
    .values({ code, name: `${code} Inc`, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describeEachDialect('export runs (Process Log)', ({ db }) => {
  void it('lists runs newest first, filtered by company and status, and pages', async () => {
    const a = await company(db(), 'RUNS-A');
    const b = await company(db(), 'RUNS-B');
    const first = await createRun(db().kysely, { companyId: a, startedBy: 'ann@example.com', dryRun: false });
    const second = await createRun(db().kysely, { companyId: a, startedBy: 'cli', dryRun: true });
    await createRun(db().kysely, { companyId: b, startedBy: 'cli', dryRun: false });
    const counts = emptyCounts();
    counts.invoices.created = 7;
    await finishRun(db().kysely, first, { status: 'partial', counts });

    const runs = await listRuns(db().kysely, { companyId: a, limit: 10 });
    assert.deepEqual(runs.map((r) => r.id), [second, first]);
    assert.equal(runs[0]?.name, EXPORT_RUN_NAME);
    assert.equal(runs[0]?.dryRun, true);
    assert.equal(runs[0]?.status, 'running');
    assert.equal(runs[1]?.counts.invoices.created, 7);
    assert.equal(runs[1]?.companyCode, 'RUNS-A');
    assert.ok(runs[1]?.finishedAt);
    assert.deepEqual((await listRuns(db().kysely, { companyId: a, status: 'partial', limit: 10 })).map((r) => r.id), [first]);
    assert.deepEqual((await listRuns(db().kysely, { companyId: a, limit: 1, offset: 1 })).map((r) => r.id), [first]);
  });

  void it('returns a run with its messages, errors first, then warnings, then information', async () => {
    const a = await company(db(), 'RUNS-C');
    const run = await createRun(db().kysely, { companyId: a, startedBy: 'cli', dryRun: false });
    const at = new Date().toISOString();
    await addRunMessages(db().kysely, run, [
      { level: 'info', recordKind: 'customer', recordKey: 'C-1', qboCode: null, message: 'matched', at },
      { level: 'warning', recordKind: 'invoice', recordKey: 'INV-1', qboCode: null, message: 'freight left out', at },
      { level: 'error', recordKind: 'invoice', recordKey: 'INV-2', qboCode: '6070', message: 'rejected', at },
      { level: 'info', recordKind: 'invoice', recordKey: 'INV-3', qboCode: null, message: 'created', at },
    ]);
    const got = await getRun(db().kysely, run);
    assert.deepEqual(got?.messages.map((m) => m.recordKey), ['INV-2', 'INV-1', 'C-1', 'INV-3']);
    assert.equal(got?.messages[0]?.qboCode, '6070');
    assert.equal(await getRun(db().kysely, 999_999), null);
  });

  void it('closes runs left "running" by a killed process, but not the current one', async () => {
    const a = await company(db(), 'RUNS-D');
    const killed = await createRun(db().kysely, { companyId: a, startedBy: 'cli', dryRun: false });
    const current = await createRun(db().kysely, { companyId: a, startedBy: 'cli', dryRun: false });
    assert.equal(await closeAbandonedRuns(db().kysely, a, current), 1);
    assert.equal((await getRun(db().kysely, killed))?.status, 'failed');
    assert.equal((await getRun(db().kysely, current))?.status, 'running');
  });
});

describeEachDialect('export intents (exactly-once ledger)', ({ db }) => {
  void it('keeps one row per record: pending, then done with the QBO id in a transaction, or failed', async () => {
    const a = await company(db(), 'INT-A');
    const scope = { companyId: a, realmId: 'R-A' };
    const base = { ...scope, kind: 'invoice' as const, attempt: 1 };
    await writePendingIntents(db().kysely, [
      { ...base, recordId: 1, lookupKey: 'INV-1', requestId: 'r1' },
      { ...base, recordId: 2, lookupKey: 'INV-2', requestId: 'r2' },
      { ...base, recordId: 3, lookupKey: 'INV-3', requestId: 'r3' },
    ]);
    assert.deepEqual((await listPendingIntents(db().kysely, scope, 'invoice')).map((i) => i.recordId), [1, 2, 3]);
    // Intents are per company and realm: the same records in other books have none.
    assert.deepEqual(await listPendingIntents(db().kysely, { companyId: a, realmId: 'R-B' }, 'invoice'), []);
    await writePendingIntents(db().kysely, [{ ...base, realmId: 'R-B', recordId: 1, lookupKey: 'INV-1', requestId: 'b1' }]);

    await db().kysely.transaction().execute((trx) => completeIntent(trx, { ...scope, kind: 'invoice', recordId: 1, qboId: '77' }));
    await failIntents(db().kysely, scope, 'invoice', [2]);
    assert.deepEqual((await listPendingIntents(db().kysely, scope, 'invoice')).map((i) => i.recordId), [3]);
    assert.deepEqual((await listPendingIntents(db().kysely, { companyId: a, realmId: 'R-B' }, 'invoice')).map((i) => i.requestId), ['b1']);

    // A new attempt for record 2 (QBO certainly holds nothing) gets a new request id and is pending again.
    const sentAt = new Date('2026-11-30T10:00:05.123Z');
    await writePendingIntents(db().kysely, [{ ...base, recordId: 2, attempt: 2, lookupKey: 'INV-2', requestId: 'r2b' }], sentAt);
    const rows = await getIntents(db().kysely, scope, 'invoice', [1, 2, 3]);
    assert.equal(rows.get(1)?.state, 'done');
    assert.equal(rows.get(1)?.qboId, '77');
    assert.equal(rows.get(2)?.state, 'pending');
    assert.equal(rows.get(2)?.requestId, 'r2b');
    assert.equal(rows.get(2)?.attempt, 2);
    // The in-doubt window compares milliseconds: they survive the round trip through the stored text.
    assert.equal(rows.get(2)?.sentAt?.getTime(), sentAt.getTime());
    assert.equal(rows.get(2)?.updatedAt.getTime(), sentAt.getTime());
    assert.equal((await getIntents(db().kysely, scope, 'customer', [1])).size, 0);
  });
});
