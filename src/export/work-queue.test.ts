import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchPacer } from './batch-pacer.ts';
import { nextAttempt } from './write-once.ts';
import { WorkQueue } from './work-queue.ts';
import type { ExportIntent } from '../store/runs/tables.ts';

void describe('WorkQueue', () => {
  void it('hands items out in order, in chunks, and ends takers once closed and drained', async () => {
    const q = new WorkQueue<number>();
    const waiting = q.take(3);
    q.push([1, 2, 3, 4]);
    assert.deepEqual(await waiting, [1, 2, 3]);
    q.close();
    assert.deepEqual(await q.take(3), [4]);
    assert.equal(q.drained, true);
    assert.deepEqual(await q.take(3), []);
  });

  void it('holds the reader back until the queue drops below the mark', async () => {
    const q = new WorkQueue<number>();
    q.push([1, 2, 3]);
    let released = false;
    const reader = q.waitBelow(2).then(() => (released = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(released, false);
    await q.take(2);
    await reader;
    assert.equal(released, true);
  });
});

void describe('nextAttempt (which requestid the next create carries)', () => {
  const intent = (state: ExportIntent['state'], attempt: number, key = 'INV-1'): ExportIntent => ({
    companyId: 1, realmId: 'R1', kind: 'invoice', recordId: 1, lookupKey: key, requestId: 'r', attempt, state, qboId: null, updatedAt: new Date(0), sentAt: null, batchItemId: null,
  });
  void it('first attempt without an intent', () => assert.equal(nextAttempt(undefined, 'INV-1'), 1));
  void it('the same attempt (same requestid) while an intent is pending for the same key', () => assert.equal(nextAttempt(intent('pending', 3), 'INV-1'), 3));
  void it('a new attempt once QBO certainly holds nothing', () => assert.equal(nextAttempt(intent('failed', 3), 'INV-1'), 4));
  void it('a new attempt when the key changed (e.g. a suffixed name)', () => assert.equal(nextAttempt(intent('pending', 3), 'Other'), 4));
  void it('a new attempt after a done record is exported again', () => assert.equal(nextAttempt(intent('done', 1), 'INV-1'), 2));
});

void describe('BatchPacer', () => {
  void it('lets `limit` batch calls through per window, then waits for the oldest to leave it', async () => {
    const pacer = new BatchPacer({ limit: 2, windowMs: 80 });
    const t0 = Date.now();
    assert.ok(await pacer.turn(() => false));
    assert.ok(await pacer.turn(() => false));
    assert.ok(await pacer.turn(() => false));
    assert.ok(Date.now() - t0 >= 75, 'the third call waited for the window');
    assert.equal(await new BatchPacer({ limit: 1, windowMs: 60_000 }).turn(() => true), false);
  });
});
