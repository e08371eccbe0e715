import Big from 'big.js';
import type { Invoice } from '../qbo/index.ts';
import type { QboStatus } from '../store/sync/tables.ts';

/**
 * What an invoice's QuickBooks record says about it, as a decision with its reason (STYLE.md rule 9).
 * QBO has no "voided" flag: a voided invoice keeps its number with every amount zeroed and a PrivateNote
 * starting "Voided" (docs/qbo-behaviour.md §8.3); a total that fell to zero from a known non-zero total is
 * read the same way, since a user may edit the note.
 */
export interface StatusDecision {
  status: QboStatus;
  reason: 'deleted-in-qbo' | 'voided-note' | 'amounts-zeroed' | 'no-balance-left' | 'balance-below-total' | 'balance-equals-total';
}

export function decideQboStatus(invoice: Pick<Invoice, 'status' | 'TotalAmt' | 'Balance' | 'PrivateNote'>, knownTotal: string | null): StatusDecision {
  if (invoice.status === 'Deleted') return { status: 'deleted', reason: 'deleted-in-qbo' };
  const total = new Big(invoice.TotalAmt ?? '0');
  const balance = new Big(invoice.Balance ?? invoice.TotalAmt ?? '0');
  if (total.eq(0) && /^voided/i.test(invoice.PrivateNote ?? '')) return { status: 'voided', reason: 'voided-note' };
  if (total.eq(0) && knownTotal !== null && !new Big(knownTotal).eq(0)) return { status: 'voided', reason: 'amounts-zeroed' };
  if (balance.lte(0)) return { status: 'paid', reason: 'no-balance-left' };
  if (balance.lt(total)) return { status: 'partially-paid', reason: 'balance-below-total' };
  return { status: 'open', reason: 'balance-equals-total' };
}

/** Money for people and the JSON contract: two decimals ("37.50"). */
export function money(value: string | undefined): string {
  return new Big(value ?? '0').toFixed(2);
}

/** QBO's LastUpdatedTime ("2026-11-20T10:00:00-07:00" or "…-0700") as ISO UTC text, comparable as a string. */
export function qboTimeToIso(time: string | undefined, fallback: Date): string {
  if (time === undefined) return fallback.toISOString();
  const normal = time.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normal);
  return Number.isNaN(ms) ? fallback.toISOString() : new Date(ms).toISOString();
}
