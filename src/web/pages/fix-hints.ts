import type { RunMessage } from '../../store/runs/repository.ts';

/**
 * A next step for the user beside a per-record message, by the QuickBooks fault code (docs/qbo-behaviour.md §3.6).
 * The exporter's own message already names the record and the problem; this says where to act.
 */
const hintsByQboCode: Record<string, string> = {
  '6240': 'The name is already used by another customer, vendor or employee in QuickBooks: rename the record in the ERP, or choose "add a suffix" for name collisions on the Setup page.',
  '6140': 'QuickBooks already has an invoice with this number: check it in QuickBooks before exporting again.',
  '6070': 'A line amount does not equal quantity × unit price rounded to cents: correct the line in the ERP.',
  '6000': 'QuickBooks refused the record as it stands: correct the named field in the ERP and export again.',
  '610': 'A record this one refers to no longer exists or is inactive in QuickBooks: reactivate it or correct the reference.',
  '2020': 'A required field is missing: fill it in the ERP and export again.',
  '2050': 'A field is too long or has characters QuickBooks rejects: shorten or correct it in the ERP.',
  '3200': 'QuickBooks did not accept the authorization: use Refresh Token on the QuickBooks Authentication page.',
  '3001': 'QuickBooks asked us to slow down: export again in a minute; nothing was lost.',
};

export function fixHint(message: Pick<RunMessage, 'level' | 'qboCode'>): string | null {
  if (message.level === 'info') return null;
  if (message.qboCode && hintsByQboCode[message.qboCode]) return hintsByQboCode[message.qboCode] ?? null;
  return message.level === 'error' ? 'Correct the data named in the message, then run the export again.' : null;
}
