import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InDoubtRecords, sentAtOf } from './in-doubt.ts';

void describe('in-doubt windows', () => {
  void it('a look-up proves nothing until QBO_IN_DOUBT_SECONDS (and a margin) after the last send', () => {
    const records = new InDoubtRecords(120_000);
    const sent = Date.parse('2026-11-30T10:00:00Z');
    assert.equal(records.windowClosed(sent, sent + 119_999), false);
    assert.equal(records.windowClosed(sent, sent + 120_000), false, 'the margin: clocks are not to the millisecond');
    assert.equal(records.windowClosed(sent, records.closesAt(sent)), true);
  });

  void it('holds one entry per record, by kind', () => {
    const records = new InDoubtRecords(1_000);
    const entry = (kind: 'invoice' | 'customer', recordId: number) => ({ kind, recordId, ref: { kind, key: String(recordId) }, sentAt: 0, settle: async () => undefined });
    records.hold(entry('invoice', 1));
    records.hold(entry('invoice', 1));
    records.hold(entry('customer', 1));
    assert.equal(records.count('invoice'), 1);
    assert.equal(records.all().length, 2);
    records.release('invoice', 1);
    assert.equal(records.count('invoice'), 0);
  });

  void it('counts from sentAt, or from the last update of rows written before migration 0008', () => {
    assert.equal(sentAtOf({ sentAt: new Date('2026-11-30T10:00:05.123Z'), updatedAt: new Date('2026-11-30T10:00:00.000Z') }), Date.parse('2026-11-30T10:00:05.123Z'));
    assert.equal(sentAtOf({ sentAt: null, updatedAt: new Date('2026-11-30T10:00:00.000Z') }), Date.parse('2026-11-30T10:00:00Z'));
  });
});
