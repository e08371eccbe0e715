import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideQboStatus, money, qboTimeToIso } from './invoice-status.ts';

void describe('decideQboStatus: one case per reason', () => {
  void it('deleted', () => assert.deepEqual(decideQboStatus({ status: 'Deleted' }, '10.00'), { status: 'deleted', reason: 'deleted-in-qbo' }));
  void it('voided by its note', () => assert.equal(decideQboStatus({ TotalAmt: '0', Balance: '0', PrivateNote: 'Voided - PO-7' }, null).reason, 'voided-note'));
  void it('voided: amounts zeroed from a known total', () => assert.equal(decideQboStatus({ TotalAmt: '0', Balance: '0', PrivateNote: 'edited' }, '37.50').reason, 'amounts-zeroed'));
  void it('paid', () => assert.deepEqual(decideQboStatus({ TotalAmt: '37.5', Balance: '0' }, '37.50'), { status: 'paid', reason: 'no-balance-left' }));
  void it('partially paid', () => assert.equal(decideQboStatus({ TotalAmt: '37.5', Balance: '0.01' }, null).status, 'partially-paid'));
  void it('open', () => assert.equal(decideQboStatus({ TotalAmt: '37.5', Balance: '37.5' }, null).status, 'open'));
  void it('a zero invoice never seen with a total is paid, not voided', () => assert.equal(decideQboStatus({ TotalAmt: '0', Balance: '0' }, null).status, 'paid'));
});

void describe('money and QBO times', () => {
  void it('two decimals, exact', () => {
    assert.equal(money('37.5'), '37.50');
    assert.equal(money('1861.075'), '1861.08');
  });
  void it("reads Intuit's offsets with and without a colon", () => {
    assert.equal(qboTimeToIso('2026-11-20T10:00:00-07:00', new Date(0)), '2026-11-20T17:00:00.000Z');
    assert.equal(qboTimeToIso('2026-11-20T10:00:00-0700', new Date(0)), '2026-11-20T17:00:00.000Z');
  });
});
