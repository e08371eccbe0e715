import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EntityRows, equalityKey } from './entity-rows.ts';
import type { Row } from './realm.ts';

// Numbers that collide by case or by value, sequence numbers, and rows without a number.
const DOC_NUMBERS = ['A-1', 'a-1', 'B', '1001', '01001', '1001.0', '1500', '2000', '999999999999', '1e3', undefined] as const;

type Step = { kind: 'set'; id: number; doc: number } | { kind: 'delete'; id: number } | { kind: 'clear' };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('set' as const), id: fc.integer({ min: 1, max: 12 }), doc: fc.integer({ min: 0, max: DOC_NUMBERS.length - 1 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
);

/** What a scan over the rows answers, the reference the index must agree with. */
function scanned(rows: EntityRows) {
  const all = [...rows.values()];
  const ids = (doc: string) => all.filter((r) => r.DocNumber === doc).map((r) => String(r.Id)).sort((a, b) => Number(a) - Number(b));
  const equal = (doc: string) => all.filter((r) => typeof r.DocNumber === 'string' && equalityKey(r.DocNumber) === equalityKey(doc)).map((r) => String(r.Id)).sort();
  let largest = 0;
  for (const r of all) {
    const n = Number(r.DocNumber);
    if (Number.isInteger(n) && n < 1e12) largest = Math.max(largest, n);
  }
  return { ids, equal, largest };
}

void describe('EntityRows: the DocNumber index', () => {
  void it('agrees with a scan after any mix of set, delete and clear', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const rows = new EntityRows();
      for (const s of steps) {
        if (s.kind === 'set') {
          const doc = DOC_NUMBERS[s.doc];
          const row: Row = { Id: String(s.id), ...(doc !== undefined ? { DocNumber: doc } : {}) };
          rows.set(String(s.id), row);
        } else if (s.kind === 'delete') rows.delete(String(s.id));
        else rows.clear();
        const scan = scanned(rows);
        for (const doc of DOC_NUMBERS) {
          if (doc === undefined) continue;
          assert.deepEqual(rows.idsWithDocNumber(doc), scan.ids(doc), `ids of ${doc}`);
          assert.deepEqual(rows.rowsWithDocNumberEqualTo(doc).map((r) => String(r.Id)).sort(), scan.equal(doc), `rows equal to ${doc}`);
        }
        assert.equal(rows.largestSequenceNumber(), scan.largest);
      }
    }));
  });

  void it('builds the index from the rows it is given (state load)', () => {
    const rows = new EntityRows([{ Id: '7', DocNumber: '1204' }, { Id: '3', DocNumber: 'x-1' }]);
    assert.deepEqual(rows.idsWithDocNumber('1204'), ['7']);
    assert.deepEqual(rows.rowsWithDocNumberEqualTo('X-1').map((r) => r.Id), ['3']);
    assert.equal(rows.largestSequenceNumber(), 1204);
    assert.deepEqual([...rows.keys()], ['7', '3'], 'insertion order kept');
  });

  void it('keys numbers by value and other text case-insensitively', () => {
    assert.equal(equalityKey('01001'), equalityKey('1001.00'));
    assert.equal(equalityKey(' 7 '), equalityKey('7'));
    assert.equal(equalityKey('-0'), equalityKey('0'));
    assert.equal(equalityKey('Inv-1'), equalityKey('INV-1'));
    assert.notEqual(equalityKey('1001'), equalityKey('1001a'));
  });
});
