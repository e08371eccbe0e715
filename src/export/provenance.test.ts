import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Invoice } from '../qbo/entities.ts';
import { decideInvoiceAdoption, intentMarker, isVoided, type WantedInvoice } from './provenance.ts';

const marker = intentMarker('ACME', 'invoice', 12);
const wanted: WantedInvoice = { docNumber: 'INV-1', marker, customerQboId: '7', expectedTotal: '100.00' };
const inv = (over: Partial<Invoice>): Invoice => ({ Id: '40', DocNumber: 'INV-1', CustomerRef: { value: '7' }, TotalAmt: '100', ...over });

void describe('decideInvoiceAdoption (one test per reason)', () => {
  void it('our-marker: ours is adopted whatever QuickBooks did to its total (automated sales tax, an ERP edit since)', () => {
    const d = decideInvoiceAdoption([inv({ TotalAmt: '108.25', PrivateNote: marker, TxnTaxDetail: { TotalTax: '8.25' } })], wanted);
    assert.deepEqual(d, { action: 'adopt', reason: 'our-marker', qboId: '40' });
    assert.equal(decideInvoiceAdoption([inv({ TotalAmt: '250', CustomerRef: { value: '9' }, PrivateNote: `x ${marker}` })], wanted).action, 'adopt');
  });
  void it('our-marker twice: the lowest Id is kept and the others are named', () => {
    const d = decideInvoiceAdoption([inv({ Id: '52', PrivateNote: marker }), inv({ Id: '41', PrivateNote: marker })], wanted);
    assert.equal(d.action === 'adopt' && d.qboId, '41');
    assert.match(d.action === 'adopt' ? d.note ?? '' : '', /Ids 41, 52/);
  });
  void it('same-customer-and-total: an invoice without any marker that agrees is adopted (created before markers)', () => {
    assert.deepEqual(decideInvoiceAdoption([inv({})], wanted), { action: 'adopt', reason: 'same-customer-and-total', qboId: '40' });
  });
  void it('voided: our voided invoice is reported with what to do, never adopted', () => {
    const d = decideInvoiceAdoption([inv({ TotalAmt: '0', PrivateNote: `Voided - ${marker}` })], wanted);
    assert.equal(d.action, 'voided');
    assert.match(d.action === 'voided' ? d.message : '', /Id 40\) was voided in QuickBooks\. .*draft.*delete the voided invoice/);
  });
  void it('other-record: an invoice marked for another ERP record is not ours', () => {
    const d = decideInvoiceAdoption([inv({ PrivateNote: intentMarker('ACME', 'invoice', 13) })], wanted);
    assert.equal(d.action === 'not-ours' && d.reason, 'other-record');
  });
  void it('differs: a marker-less invoice of another customer or total is not ours', () => {
    const d = decideInvoiceAdoption([inv({ CustomerRef: { value: '8' }, TotalAmt: '99' })], wanted);
    assert.match(d.action === 'not-ours' ? d.message : '', /customer Id 8 instead of 7 and total 99 instead of 100\.00 \(6140\)/);
  });
  void it('no-invoice-with-this-number: DocNumbers compare exactly (QuickBooks’ query ignores case, the ERP does not)', () => {
    assert.equal(decideInvoiceAdoption([inv({ DocNumber: 'inv-1', PrivateNote: marker })], wanted).action, 'missing');
    assert.equal(decideInvoiceAdoption([], wanted).action, 'missing');
  });
  void it('isVoided needs the note and a zero total', () => {
    assert.equal(isVoided({ PrivateNote: 'Voided', TotalAmt: '0' }), true);
    assert.equal(isVoided({ PrivateNote: 'Voided by hand, then re-entered', TotalAmt: '10' }), false);
  });
});
