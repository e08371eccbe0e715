import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideApplication } from './application-decision.ts';

const invoice = (over: Partial<{ TotalAmt: string; Balance: string; PrivateNote: string }> = {}) => ({ Id: '9', TotalAmt: '100', Balance: '100', ...over });
const memo = (remaining: string) => ({ Id: '5', TotalAmt: '30', RemainingCredit: remaining });

void describe('decideApplication (one case per reason)', () => {
  void it('full: the whole remaining credit when the invoice owes at least that', () => {
    const d = decideApplication('INV-1', invoice(), memo('30'));
    assert.deepEqual([d.action, d.reason, d.action === 'apply' ? d.amount : null], ['apply', 'full', '30.00']);
  });
  void it('up-to-open-balance: a memo larger than what the invoice still owes applies the balance only', () => {
    const d = decideApplication('INV-1', invoice({ Balance: '12.5' }), memo('30'));
    assert.equal(d.action, 'apply');
    assert.equal(d.reason, 'up-to-open-balance');
    assert.equal(d.action === 'apply' ? d.amount : null, '12.50');
    assert.match(d.message, /the other 17\.50 stays in QuickBooks as credit/);
  });
  void it('invoice-deleted, invoice-voided, invoice-paid: nothing applied, the credit left for the user', () => {
    assert.equal(decideApplication('INV-1', null, memo('30')).reason, 'invoice-deleted');
    assert.equal(decideApplication('INV-1', invoice({ TotalAmt: '0', Balance: '0', PrivateNote: 'Voided' }), memo('30')).reason, 'invoice-voided');
    const paid = decideApplication('INV-1', invoice({ Balance: '0' }), memo('30'));
    assert.equal(paid.reason, 'invoice-paid');
    assert.match(paid.message, /already paid in QuickBooks; the credit stays in QuickBooks, unapplied/);
  });
  void it('memo-deleted, memo-used: no credit to apply', () => {
    assert.equal(decideApplication('INV-1', invoice(), null).reason, 'memo-deleted');
    assert.equal(decideApplication('INV-1', invoice(), memo('0')).reason, 'memo-used');
  });
});
