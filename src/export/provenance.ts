import type { Invoice } from '../qbo/entities.ts';
import type { IntentKind } from '../store/runs/tables.ts';
import type { TotalCheck } from './invoice-tax.ts';
import { sameMoney } from './invoice-mapping.ts';
import { adoptionView } from './invoice-totals.ts';

/**
 * Provenance (issue 13): every invoice we create carries, in its PrivateNote (kept by QuickBooks, never shown to
 * the customer; ≤ 4000 characters, docs/qbo-behaviour.md §6.4), a marker naming our intent — company and ERP
 * record. A look-up then recognises OUR invoice with certainty, whatever QuickBooks did to its amounts (automated
 * sales tax) or the ERP did to the invoice since. QuickBooks keeps the note through a void ("Voided - …").
 */
export function intentMarker(companyCode: string, kind: IntentKind, recordId: number): string {
  return `[qbo-export ${companyCode} ${kind} ${recordId}]`;
}

/** Any qbo-export marker: an invoice carrying one that is not ours was created by us for another record. */
const ANY_MARKER = /\[qbo-export [^\]]+\]/;

/** A voided invoice keeps its number with every amount zeroed and a note starting "Voided" (§6.4, §8.3). */
export function isVoided(found: Pick<Invoice, 'PrivateNote' | 'TotalAmt'>): boolean {
  return /^voided\b/i.test(found.PrivateNote ?? '') && sameMoney(found.TotalAmt ?? '0', '0');
}

export type AdoptionDecision =
  | { action: 'adopt'; reason: 'our-marker' | 'same-customer-and-total'; qboId: string; note?: string }
  | { action: 'not-ours'; reason: 'other-record' | 'differs'; message: string }
  | { action: 'voided'; reason: 'voided'; message: string }
  | { action: 'missing'; reason: 'no-invoice-with-this-number' };

export interface WantedInvoice {
  docNumber: string;
  marker: string;
  customerQboId: string;
  expectedTotal: string;
  /** The sales-tax check: in `qbo` mode a marker-less invoice is compared without QuickBooks' own tax. */
  check?: TotalCheck | undefined;
  /** What the user calls the record in messages; credit memos are judged by the same rules (issue 16). */
  noun?: 'invoice' | 'credit memo';
}

/**
 * What to do with the QBO invoices found under our DocNumber (on resume, after a lost answer, after a 6140).
 * DocNumbers compare exactly: QuickBooks' query ignores case, the ERP's numbers do not (docs/design.md rule 9).
 *  - ours (our marker) and not voided → adopt, whatever its total;
 *  - ours but voided → reported with what to do (never adopted, never created again silently);
 *  - no marker at all, same customer and total → adopt (created before markers existed, or by hand to match);
 *  - anything else → not ours, reported.
 */
export function decideInvoiceAdoption(rows: readonly Invoice[], w: WantedInvoice): AdoptionDecision {
  const n = w.noun ?? 'invoice';
  const same = rows.filter((r) => r.DocNumber === w.docNumber);
  const ours = same.filter((r) => (r.PrivateNote ?? '').includes(w.marker)).sort((a, b) => Number(a.Id) - Number(b.Id));
  const live = ours.find((r) => !isVoided(r));
  if (live) {
    const extra = ours.filter((r) => !isVoided(r)).length > 1
      ? `QuickBooks holds ${ours.length} ${n}s marked as this one's (Ids ${ours.map((r) => r.Id).join(', ')}); the first was kept: void the others in QuickBooks`
      : undefined;
    return extra ? { action: 'adopt', reason: 'our-marker', qboId: live.Id, note: extra } : { action: 'adopt', reason: 'our-marker', qboId: live.Id };
  }
  const voided = ours[0] ?? same.find((r) => isVoided(r) && !ANY_MARKER.test(r.PrivateNote ?? ''));
  if (voided) {
    return {
      action: 'voided', reason: 'voided',
      message: `QuickBooks ${n} number ${w.docNumber} (Id ${voided.Id}) was voided in QuickBooks. If it should not be in QuickBooks, set the ERP ${n} back to draft; to export it again, delete the voided ${n} in QuickBooks (or renumber the ERP ${n}) and run the export again`,
    };
  }
  const legacy = same.find((r) => !ANY_MARKER.test(r.PrivateNote ?? '') && r.CustomerRef?.value === w.customerQboId && sameMoney(adoptionView(r, w.check).TotalAmt, w.expectedTotal));
  if (legacy) return { action: 'adopt', reason: 'same-customer-and-total', qboId: legacy.Id };
  const other = same[0];
  if (!other) return { action: 'missing', reason: 'no-invoice-with-this-number' };
  if (ANY_MARKER.test(other.PrivateNote ?? '')) {
    return { action: 'not-ours', reason: 'other-record', message: `QuickBooks already has ${n} number ${w.docNumber} (Id ${other.Id}), created by qbo-export for another ERP record (${ANY_MARKER.exec(other.PrivateNote ?? '')?.[0] ?? ''}) (6140); check that ${n} in QuickBooks, then renumber one of them` };
  }
  const total = adoptionView(other, w.check).TotalAmt;
  const why = [
    other.CustomerRef?.value === w.customerQboId ? null : `customer Id ${other.CustomerRef?.value ?? '?'} instead of ${w.customerQboId}`,
    sameMoney(total, w.expectedTotal) ? null : `total ${total ?? '?'} instead of ${w.expectedTotal}`,
  ].filter(Boolean).join(' and ');
  return {
    action: 'not-ours', reason: 'differs',
    message: `QuickBooks already has ${n} number ${w.docNumber} (Id ${other.Id}) with ${why} (6140); check that ${n} in QuickBooks, then renumber one of them`,
  };
}
