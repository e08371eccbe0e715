import { z } from 'zod';
import { companySettingsSchema } from '../erp/company-settings.ts';
import { calendarDate, currencyCode, decimal, decimalOrZero, flag, optionalDecimal, optionalText, qboName } from './fields.ts';
import { fastInvoice } from './fast-path.ts';
import { controlCharacterProblems } from '../input/sanity.ts';

/**
 * One record of the import document (docs/design.md), checked on its own: types, formats, QuickBooks' limits and
 * the line rules. References to other records (customerNo, productNo, company) and duplicates are checked by
 * the importer, which knows the database and the rest of the file. The REST API reuses these for upserts.
 */
export const companyInputSchema = z
  .object({
    code: z.string({ error: 'expected text' }).trim().min(1, { error: 'must not be empty' }).max(40, { error: 'at most 40 characters' }),
    name: z.string({ error: 'expected text' }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'at most 200 characters' }),
    qbPrimaryCompany: flag.optional().transform((v) => v ?? false),
    settings: companySettingsSchema.optional(),
  })
  .strict();

const billingAddressSchema = z
  .object({
    line1: optionalText(500),
    line2: optionalText(500),
    city: optionalText(255),
    region: optionalText(255),
    postalCode: optionalText(30),
    country: optionalText(255),
  })
  .strict();

const qboIdSchema = z.string({ error: 'expected the QuickBooks Id as text' }).trim().min(1).nullable().optional();
/** `{"COMPANY": "id"}`: the record's id in the books of each named company (issue 12). */
const qboIdsSchema = z
  .record(z.string(), z.string({ error: 'expected the QuickBooks Id as text' }).trim().min(1, { error: 'must not be empty' }), { error: 'expected an object such as {"ACME": "57"}' })
  .nullable()
  .optional()
  .transform((v) => v ?? undefined);

export const customerInputSchema = z
  .object({
    customerNo: z.string({ error: 'expected text' }).trim().min(1, { error: 'must not be empty' }).max(100, { error: 'at most 100 characters' }),
    // QBO DisplayName: at most 500 characters, no colon, tab or line break.
    name: qboName(500),
    email: optionalText(100).refine((v) => v === null || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v), { error: 'expected an email address' }),
    phone: optionalText(30),
    billingAddress: billingAddressSchema.nullable().optional().transform((v) => v ?? null),
    financialSystemCustomerId: qboIdSchema,
    secondaryCustomerId: qboIdSchema,
    qboIds: qboIdsSchema,
    active: flag.optional().transform((v) => v ?? true),
    currency: currencyCode,
  })
  .strict();

export const productTypes = ['NonInventory', 'Service', 'Inventory'] as const;

export const productInputSchema = z
  .object({
    company: z.string({ error: 'expected a company code' }).trim().min(1).optional(),
    // QBO Item Name: at most 100 characters, no colon, tab or line break.
    productNo: qboName(100),
    description: optionalText(4000),
    type: z.enum(productTypes, { error: 'expected NonInventory, Service or Inventory' }).optional().transform((v) => v ?? 'NonInventory'),
    unitPrice: decimalOrZero,
    financialSystemProductId: qboIdSchema,
    qboIds: qboIdsSchema,
  })
  .strict();

export const invoiceLineInputSchema = z
  .object({
    productNo: z.string({ error: 'expected text' }).nullable().optional(),
    charge: z.string({ error: 'expected text' }).nullable().optional(),
    qboItemName: qboName(100).nullable().optional(),
    qty: decimal,
    unitPrice: decimal,
    description: optionalText(4000),
    /** Sales tax: taxable or not (US books: TAX/NON), or the ERP's tax code (mapped by the company's taxCodes). */
    taxable: flag.nullable().optional().transform((v) => v ?? null),
    taxCode: optionalText(100),
  })
  .strict();

export const invoiceStatuses = ['draft', 'approved'] as const;

export const invoiceInputSchema = z
  .object({
    company: z.string({ error: 'expected a company code' }).trim().min(1).optional(),
    // QBO DocNumber holds at most 21 characters (fault 2050 beyond).
    invoiceNo: z.string({ error: 'expected text' }).trim().min(1, { error: 'must not be empty' }).max(21, { error: "at most 21 characters (QuickBooks' DocNumber limit)" }),
    customerNo: z.string({ error: 'expected text' }).trim().min(1, { error: 'must not be empty' }),
    invoiceDate: calendarDate,
    dueDate: calendarDate.nullable().optional().transform((v) => v ?? null),
    customerPo: optionalText(1000),
    status: z.enum(invoiceStatuses, { error: 'expected draft or approved' }),
    transferred: flag.optional().transform((v) => v ?? false),
    transferredAt: z.iso.datetime({ error: 'expected an ISO timestamp such as 2026-11-02T10:00:00Z' }).nullable().optional().transform((v) => v ?? null),
    qboInvoiceId: z.string({ error: 'expected text' }).trim().min(1).nullable().optional().transform((v) => v ?? null),
    freight: decimalOrZero,
    handling: decimalOrZero,
    packaging: decimalOrZero,
    orderDiscount: decimalOrZero,
    currency: currencyCode,
    /** The tax the ERP computed; billed exactly in the `erp` sales-tax mode. */
    taxAmount: optionalDecimal,
    exchangeRate: optionalDecimal.refine((v) => v === null || Number(v) > 0, { error: 'must be greater than 0 (home-currency units per one invoice-currency unit)' }),
    shipToAddress: billingAddressSchema.nullable().optional().transform((v) => v ?? null),
    lines: z.array(invoiceLineInputSchema, { error: 'expected a list of lines' }).min(1, { error: 'an invoice needs at least one line' }).optional(),
  })
  .strict();

/** Issue 16: a credit memo offsets a sales invoice; lines and header charges as on invoices. */
export const creditMemoInputSchema = z
  .object({
    company: invoiceInputSchema.shape.company,
    // QBO DocNumber holds at most 21 characters (fault 2050 beyond), on credit memos as on invoices.
    memoNo: invoiceInputSchema.shape.invoiceNo,
    customerNo: invoiceInputSchema.shape.customerNo,
    memoDate: calendarDate,
    status: invoiceInputSchema.shape.status,
    appliesTo: z.string({ error: 'expected an invoice number' }).trim().min(1).nullable().optional().transform((v) => v ?? null),
    freight: decimalOrZero,
    handling: decimalOrZero,
    packaging: decimalOrZero,
    orderDiscount: decimalOrZero,
    /** The tax the ERP computed on the memo; credited exactly in the `erp` sales-tax mode (as on invoices). */
    taxAmount: optionalDecimal,
    lines: z.array(invoiceLineInputSchema, { error: 'expected a list of lines' }).min(1, { error: 'a credit memo needs at least one line' }).optional(),
  })
  .strict();

export type CompanyInput = z.infer<typeof companyInputSchema>;
export type CustomerInput = z.infer<typeof customerInputSchema>;
export type ProductInput = z.infer<typeof productInputSchema>;
export type InvoiceLineInput = z.infer<typeof invoiceLineInputSchema>;
export type InvoiceInput = z.infer<typeof invoiceInputSchema>;
export type CreditMemoInput = z.infer<typeof creditMemoInputSchema>;

export type RecordKind = 'companies' | 'customers' | 'products' | 'invoices' | 'creditMemos';
export interface RecordInputs {
  companies: CompanyInput;
  customers: CustomerInput;
  products: ProductInput;
  invoices: InvoiceInput;
  creditMemos: CreditMemoInput;
}

const schemas = {
  companies: companyInputSchema,
  customers: customerInputSchema,
  products: productInputSchema,
  invoices: invoiceInputSchema,
  creditMemos: creditMemoInputSchema,
} as const;

/** A problem with one field of one record: `path` like `lines[1].qty` ("" for the record as a whole). */
export interface FieldProblem {
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** Every field-level problem of the record at once, or the parsed record. */
export function validateRecord<K extends RecordKind>(kind: K, raw: unknown): Validated<RecordInputs[K]> {
  // Control characters are refused first, the same way for files and the REST API (store/input/sanity.ts).
  const unsafe = controlCharacterProblems(raw);
  if (unsafe.length > 0) return { ok: false, problems: unsafe };
  return validateWith(kind, raw, true);
}

/** The schema alone, without the invoice fast path (tests compare the two). */
export function validateWithSchema<K extends RecordKind>(kind: K, raw: unknown): Validated<RecordInputs[K]> {
  return validateWith(kind, raw, false);
}

function validateWith<K extends RecordKind>(kind: K, raw: unknown, fastPath: boolean): Validated<RecordInputs[K]> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: '', message: 'expected an object' }] };
  }
  if (fastPath && kind === 'invoices') {
    const fast = fastInvoice(raw);
    if (fast) return { ok: true, value: fast as RecordInputs[K] };
  }
  const parsed = schemas[kind].safeParse(raw);
  const problems: FieldProblem[] = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue): FieldProblem[] => {
        if (issue.code === 'unrecognized_keys') {
          return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }));
        }
        const missing = issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined;
        return [{ path: formatPath(issue.path), message: missing ? 'is required' : issue.message }];
      });
  if (kind === 'invoices' || kind === 'creditMemos') problems.push(...lineRuleProblems((raw as { lines?: unknown }).lines));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, value: parsed.data as RecordInputs[K] };
}

function present(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/** A line is a product line (productNo) or a line charge (charge + qboItemName), never both, never neither. */
export function lineRuleProblems(lines: unknown, pathPrefix = 'lines'): FieldProblem[] {
  if (!Array.isArray(lines)) return [];
  const problems: FieldProblem[] = [];
  lines.forEach((line: unknown, index) => {
    if (line === null || typeof line !== 'object') return;
    const { productNo, charge, qboItemName } = line as Record<string, unknown>;
    const at = (field: string) => `${pathPrefix}[${index}].${field}`;
    if (present(productNo) && present(charge)) {
      problems.push({ path: at('charge'), message: 'a line is either a product line (productNo) or a line charge (charge), not both' });
    } else if (!present(productNo) && !present(charge)) {
      problems.push({ path: at('productNo'), message: 'a line needs a productNo (product line) or a charge (line charge)' });
    } else if (present(charge) && !present(qboItemName)) {
      problems.push({ path: at('qboItemName'), message: 'a line charge needs qboItemName, the existing QuickBooks item it posts to' });
    } else if (present(productNo) && present(qboItemName)) {
      problems.push({ path: at('qboItemName'), message: 'only line charges name a QuickBooks item; a product line uses its productNo' });
    }
    if (present(productNo) && /[:\t\r\n]/.test(productNo as string)) {
      problems.push({ path: at('productNo'), message: "must not contain ':', a tab or a line break (QuickBooks rejects them)" });
    }
  });
  return problems;
}

/** The lines of one existing invoice, as an `invoice-lines` CSV file gives them. */
export const invoiceLinesInputSchema = z
  .object({
    company: invoiceInputSchema.shape.company,
    invoiceNo: invoiceInputSchema.shape.invoiceNo,
    lines: z.array(invoiceLineInputSchema).min(1, { error: 'an invoice needs at least one line' }),
  })
  .strict();

export type InvoiceLinesInput = z.infer<typeof invoiceLinesInputSchema>;

/** The lines of one existing credit memo, as a `credit-memo-lines` CSV file gives them. */
export const creditMemoLinesInputSchema = z
  .object({
    company: invoiceInputSchema.shape.company,
    memoNo: invoiceInputSchema.shape.invoiceNo,
    lines: z.array(invoiceLineInputSchema).min(1, { error: 'a credit memo needs at least one line' }),
  })
  .strict();

export type CreditMemoLinesInput = z.infer<typeof creditMemoLinesInputSchema>;

export function validateCreditMemoLines(raw: unknown): Validated<CreditMemoLinesInput> {
  return validateLinesWith(creditMemoLinesInputSchema, raw);
}

export function validateInvoiceLines(raw: unknown): Validated<InvoiceLinesInput> {
  return validateLinesWith(invoiceLinesInputSchema, raw);
}

/** A lines file's rows of one invoice or credit memo: control characters first, then the schema and line rules. */
function validateLinesWith<T>(schema: z.ZodType<T>, raw: unknown): Validated<T> {
  const unsafe = controlCharacterProblems(raw);
  if (unsafe.length > 0) return { ok: false, problems: unsafe };
  const parsed = schema.safeParse(raw);
  const problems: FieldProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined ? 'is required' : issue.message,
      }));
  problems.push(...lineRuleProblems((raw as { lines?: unknown } | null)?.lines));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, value: parsed.data };
}
