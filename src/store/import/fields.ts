import { Big } from 'big.js';
import { z } from 'zod';

/**
 * Field schemas shared by the import and the REST API. Messages say what is expected, in the user's terms.
 * Decimals: QBO amounts are "max 15 digits in 10.5 format", so at most 10 digits before and 5 after the point.
 */
const decimalText = /^\d+(\.\d+)?$/;
/** The common case, accepted at once: up to 10 digits, optionally a point and up to 5 more. */
const plainDecimal = /^\d{1,10}(\.\d{1,5})?$/;

function numberText(value: number): string | null {
  // A JSON number already parsed by JSON.parse (REST API): its shortest round-trip text is the decimal the
  // sender wrote for any amount with up to 15 significant digits. Big renders exponents (1e-7) as plain text.
  return Number.isFinite(value) ? new Big(value).toFixed() : null;
}

/** A non-negative decimal as a string ("3", "12.50"); JSON numbers accepted, converted without float error. */
export const decimal = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string' && plainDecimal.test(value)) return value;
  const text = typeof value === 'number' ? numberText(value) : typeof value === 'string' ? value.trim() : null;
  if (text === null || text === '') {
    ctx.addIssue({ code: 'custom', message: `expected a decimal number such as "12.50", got ${describe(value)}` });
    return z.NEVER;
  }
  if (text.startsWith('-') && decimalText.test(text.slice(1))) {
    ctx.addIssue({ code: 'custom', message: `must not be negative, got ${text}` });
    return z.NEVER;
  }
  if (!decimalText.test(text)) {
    ctx.addIssue({ code: 'custom', message: `expected a decimal number such as "12.50", got ${describe(value)}` });
    return z.NEVER;
  }
  const [whole = '', fraction = ''] = text.split('.');
  if (whole.replace(/^0+(?=\d)/, '').length > 10 || fraction.length > 5) {
    ctx.addIssue({ code: 'custom', message: `at most 10 digits before and 5 after the decimal point (QuickBooks' limit), got ${text}` });
    return z.NEVER;
  }
  return text;
});

/** Like `decimal`, absent or null meaning zero (header charges, unit prices). */
export const decimalOrZero = z.unknown().optional().transform((value, ctx): string => {
  if (value === undefined || value === null || value === '') return '0';
  if (typeof value === 'string' && plainDecimal.test(value)) return value;
  const parsed = decimal.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
  return z.NEVER;
});

/** Like `decimal`, absent, null or "" meaning no value (null): the ERP's tax amount, an exchange rate. */
export const optionalDecimal = z.unknown().optional().transform((value, ctx): string | null => {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string' && plainDecimal.test(value)) return value;
  const parsed = decimal.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
  return z.NEVER;
});

/** An ISO 4217 currency code such as USD; absent, null or "" = the QuickBooks company's home currency (null). */
export const currencyCode = z
  .string({ error: 'expected a currency code such as USD or EUR' })
  .regex(/^([A-Z]{3})?$/, { error: 'expected a three-letter currency code in capitals such as USD or EUR' })
  .nullable()
  .optional()
  .transform((v) => (v === undefined || v === null || v === '' ? null : v));

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? typeof value;
}

/** Dates repeat a lot in an import; remembering the valid ones saves the Date work. Bounded. */
const knownDates = new Set<string>();

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  if (knownDates.has(value)) return true;
  const valid = checkCalendarDate(value);
  if (valid && knownDates.size < 100_000) knownDates.add(value);
  return valid;
}

function checkCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export const calendarDate = z
  .string({ error: 'expected a date YYYY-MM-DD' })
  .refine(isCalendarDate, { error: (issue) => `expected a real calendar date YYYY-MM-DD, got ${describe(issue.input)}` });

/** QuickBooks rejects names (DisplayName, Item Name) with a colon, tab or line break. */
export function qboName(max: number) {
  return z
    .string({ error: 'expected text' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `at most ${max} characters (QuickBooks' limit)` })
    .refine((v) => !/[:\t\r\n]/.test(v), { error: "must not contain ':', a tab or a line break (QuickBooks rejects them)" });
}

/** Optional free text: absent, null and "" all mean no value. */
export function optionalText(max: number) {
  return z
    .string({ error: 'expected text' })
    .max(max, { error: `at most ${max} characters` })
    .nullable()
    .optional()
    .transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v));
}

/** true/false; CSV cells also say 1/0, yes/no. */
export const flag = z.preprocess((v) => {
  if (typeof v !== 'string') return v; // booleans (and wrong types, reported by z.boolean) as they are
  const t = v.trim().toLowerCase();
  if (['true', '1', 'yes', 'y'].includes(t)) return true;
  if (['false', '0', 'no', 'n', ''].includes(t)) return false;
  return v;
}, z.boolean({ error: 'expected true or false' }));
