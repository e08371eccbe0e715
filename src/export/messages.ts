import type { QboError } from '../qbo/errors.ts';
import type { RecordKind } from '../store/runs/tables.ts';

/** "Invoice INV-1001", "Customer C-100 (O'Brien & Sons)", "Product WIDGET-1": how every message starts. */
export function recordLabel(kind: RecordKind, key: string, name?: string): string {
  const noun = { run: 'Export', customer: 'Customer', product: 'Product', invoice: 'Invoice', 'credit-memo': 'Credit memo' }[kind];
  return name && name !== key ? `${noun} ${key} (${name})` : `${noun} ${key}`;
}

/** What the user should do about a QBO fault code, as a phrase to follow "…:". */
const advice: Record<string, string> = {
  '610': 'a customer or product it uses was deleted or made inactive in QuickBooks; make it active in QuickBooks and export again',
  '2500': 'a customer, product or account it uses was made inactive in QuickBooks (or is a category); make it active and export again',
  '2010': 'QuickBooks did not accept one of the fields; correct the record and export again',
  '2020': 'a value QuickBooks requires is missing; fill it in and export again',
  '2050': 'a value is longer than QuickBooks allows; shorten it',
  '6000': 'correct the record as QuickBooks says and export again',
  '6070': 'fix the quantity or unit price',
  '6140': 'the invoice number is already used in QuickBooks; renumber one of them',
  '6240': 'the name is already used in QuickBooks; rename the record',
  '6430': 'choose an account of the right type in the export settings',
  '6520': 'give the line a quantity',
};

/**
 * A QBO fault in plain words, naming the code and what to fix:
 * "QuickBooks rejected line 2 (6070 Amount is not equal to UnitPrice * Qty): fix the quantity or unit price".
 */
export function describeQboError(error: QboError): string {
  if (error.code === 'QBO_NETWORK' || error.code === 'QBO_SERVER' || error.code === 'QBO_THROTTLED') {
    return `QuickBooks did not complete the request (${error.qboCode} ${error.message}); nothing is lost, the next export retries it`;
  }
  const line = lineOf(error);
  const what = line === null ? 'QuickBooks rejected it' : `QuickBooks rejected line ${line}`;
  const detail = error.detail && error.detail !== error.message ? `: ${error.detail.replace(/\s+/g, ' ').trim()}` : '';
  const fix = advice[error.qboCode] ?? 'correct the record and export again';
  return `${what} (${error.qboCode} ${error.message}${detail}): ${fix}`;
}

/** QBO sometimes names the line in `element` ("Line[1].Amount") or the detail ("Line 2"); 1-based for people. */
function lineOf(error: QboError): number | null {
  const fromElement = /Line\[(\d+)\]/i.exec(error.element ?? '');
  if (fromElement?.[1]) return Number(fromElement[1]) + 1;
  const fromDetail = /\bline (?:number )?#?(\d+)\b/i.exec(error.detail ?? '');
  return fromDetail?.[1] ? Number(fromDetail[1]) : null;
}
