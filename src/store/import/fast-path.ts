import { isCalendarDate } from './fields.ts';
import type { InvoiceInput, InvoiceLineInput } from './validate.ts';

/**
 * A fast path for the common, clean invoice: plain checks in place of the zod schema, so a 100,000-invoice
 * import neither spends its time nor its memory in generic parsing. It returns exactly what the schema would
 * (validate.test.ts checks this on generated records), and returns null for anything unusual — numbers,
 * padded text, unknown fields, any problem — which then goes through the schema for its precise messages.
 */
const invoiceKeys = new Set([
  'company', 'invoiceNo', 'customerNo', 'invoiceDate', 'dueDate', 'customerPo', 'status', 'transferred', 'transferredAt',
  'qboInvoiceId', 'freight', 'handling', 'packaging', 'orderDiscount', 'currency', 'lines',
]);
const lineKeys = new Set(['productNo', 'charge', 'qboItemName', 'qty', 'unitPrice', 'description']);
const plainDecimal = /^\d{1,10}(\.\d{1,5})?$/;
const badNameChar = /[:\t\r\n]/;

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Text the schema would keep as it is: a string with no surrounding spaces. */
const trimmedText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max && v.trim() === v;
const present = (v: unknown) => typeof v === 'string' && v.trim() !== '';

function onlyKeys(raw: Raw, allowed: ReadonlySet<string>): boolean {
  for (const key in raw) if (!allowed.has(key)) return false;
  return true;
}

/** `optionalText(max)`: absent, null or blank → null. Undefined result = not for the fast path. */
function optionalText(v: unknown, max: number): string | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.length > max) return undefined;
  return v.trim() === '' ? null : v;
}

function decimalOrZero(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return '0';
  return typeof v === 'string' && plainDecimal.test(v) ? v : undefined;
}

function fastLine(raw: unknown): InvoiceLineInput | null {
  if (!isObject(raw) || !onlyKeys(raw, lineKeys)) return null;
  const { productNo, charge, qboItemName, qty, unitPrice } = raw;
  if (typeof qty !== 'string' || !plainDecimal.test(qty) || typeof unitPrice !== 'string' || !plainDecimal.test(unitPrice)) return null;
  for (const v of [productNo, charge]) if (v !== undefined && v !== null && typeof v !== 'string') return null;
  if (qboItemName !== undefined && qboItemName !== null && (!trimmedText(qboItemName, 100) || badNameChar.test(qboItemName))) return null;
  // The line rules: a product line or a line charge naming its QuickBooks item, never both.
  const isProduct = present(productNo);
  const isCharge = present(charge);
  if (isProduct === isCharge) return null;
  if (isCharge && !present(qboItemName)) return null;
  if (isProduct && (present(qboItemName) || badNameChar.test(productNo as string))) return null;
  const description = optionalText(raw.description, 4000);
  if (description === undefined) return null;
  // Tax fields are not on the fast path (lineKeys leaves them out): absent here.
  const line: InvoiceLineInput = { qty, unitPrice, description, taxable: null, taxCode: null };
  if ('productNo' in raw) line.productNo = productNo as string | null;
  if ('charge' in raw) line.charge = charge as string | null;
  if ('qboItemName' in raw) line.qboItemName = qboItemName;
  return line;
}

export function fastInvoice(raw: unknown): InvoiceInput | null {
  if (!isObject(raw) || !onlyKeys(raw, invoiceKeys)) return null;
  const r = raw;
  if (r.company !== undefined && !trimmedText(r.company, Infinity)) return null;
  if (!trimmedText(r.invoiceNo, 21) || !trimmedText(r.customerNo, Infinity)) return null;
  if (typeof r.invoiceDate !== 'string' || !isCalendarDate(r.invoiceDate)) return null;
  if (r.dueDate !== undefined && r.dueDate !== null && (typeof r.dueDate !== 'string' || !isCalendarDate(r.dueDate))) return null;
  if (r.status !== 'draft' && r.status !== 'approved') return null;
  if (r.transferred !== undefined && typeof r.transferred !== 'boolean') return null;
  if ((r.transferredAt ?? null) !== null || (r.qboInvoiceId ?? null) !== null) return null;
  if (r.currency !== undefined && r.currency !== null && (typeof r.currency !== 'string' || !/^([A-Z]{3})?$/.test(r.currency))) return null;
  const customerPo = optionalText(r.customerPo, 1000);
  const freight = decimalOrZero(r.freight);
  const handling = decimalOrZero(r.handling);
  const packaging = decimalOrZero(r.packaging);
  const orderDiscount = decimalOrZero(r.orderDiscount);
  if (customerPo === undefined || freight === undefined || handling === undefined || packaging === undefined || orderDiscount === undefined) return null;
  let lines: InvoiceLineInput[] | undefined;
  if (r.lines !== undefined) {
    if (!Array.isArray(r.lines) || r.lines.length === 0) return null;
    lines = [];
    for (const rawLine of r.lines as unknown[]) {
      const line = fastLine(rawLine);
      if (!line) return null;
      lines.push(line);
    }
  }
  const invoice: InvoiceInput = {
    invoiceNo: r.invoiceNo,
    customerNo: r.customerNo,
    invoiceDate: r.invoiceDate,
    dueDate: (r.dueDate) ?? null,
    customerPo,
    status: r.status,
    transferred: (r.transferred) ?? false,
    transferredAt: null,
    qboInvoiceId: null,
    freight, handling, packaging, orderDiscount,
    currency: r.currency === undefined || r.currency === null || r.currency === '' ? null : r.currency,
    // Tax and currency details are not on the fast path (invoiceKeys leaves them out): absent here.
    taxAmount: null,
    exchangeRate: null,
    shipToAddress: null,
  };
  // Mirror the schema's output exactly: a key given as undefined stays a key.
  const out = invoice as Record<string, unknown>;
  if ('company' in r) out.company = r.company;
  if ('lines' in r) out.lines = lines;
  return invoice;
}
