import { Cron } from 'croner';
import { z } from 'zod';

function validCron(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return pattern.trim().split(/\s+/).length === 5;
  } catch {
    return false;
  }
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A company's export settings: what the Setup page edits and an import document's `companies[].settings`
 * carries. Stored as JSON in `companies.settings`. Every field is optional so that `{}` is a valid,
 * seed-faithful setup (header charges not passed, keep going past bad records, report name collisions).
 */
export const companySettingsSchema = z
  .object({
    /** QBO Item names that carry the invoice header charges as lines (docs/design.md: beyond the seed). */
    freightItem: z.string().min(1).max(100).optional(),
    handlingItem: z.string().min(1).max(100).optional(),
    packagingItem: z.string().min(1).max(100).optional(),
    /** Pass the order discount as a QBO discount line (DiscountLineDetail). */
    passOrderDiscount: z.boolean().optional(),
    /** Stop the run at the first failed record instead of going on with the others. */
    abortOnError: z.boolean().optional(),
    /**
     * A customer name already used by a QBO Vendor or Employee (fault 6240):
     * `suffix` adds ` (customerNo)` to the DisplayName, `report` fails that customer for the user to fix.
     */
    nameCollisionPolicy: z.enum(['suffix', 'report']).optional(),
    /** QBO Account names (or Ids) for new items; default: the realm's first account of the right type. */
    incomeAccount: z.string().min(1).optional(),
    expenseAccount: z.string().min(1).optional(),
    assetAccount: z.string().min(1).optional(),
    /**
     * Sales tax (issue 15): `qbo` QuickBooks computes it (US lines TAX/NON from the line's `taxable`), `erp` the
     * invoice's `taxAmount` is what the customer is billed, `none` no tax information is sent (as before).
     */
    salesTax: z.enum(['qbo', 'erp', 'none'], { error: 'expected qbo, erp or none' }).optional(),
    /** Non-US books: the ERP's line tax code → the QuickBooks tax code name (e.g. {"S": "20.0% S"}). */
    taxCodes: z.record(z.string().trim().min(1).max(100), z.string().trim().min(1, { error: 'must name a QuickBooks tax code' }).max(100)).optional(),
    /**
     * Scheduled exports (issue 14): a 5-field cron expression ("0 2 * * *" = every night at 02:00) in the company's
     * `timeZone`; absent = off. The run is the same Sales Invoice Exporter, still one per company at a time.
     */
    exportSchedule: z.string().refine(validCron, { message: 'expected a 5-field cron expression such as "0 2 * * *"' }).optional(),
    /** IANA time zone of the company (e.g. "America/Chicago"), for `exportSchedule`; default UTC. */
    timeZone: z.string().refine(validTimeZone, { message: 'expected an IANA time zone such as "America/Chicago"' }).optional(),
    /**
     * Issue 16: apply an exported credit memo to the invoice its `appliesTo` names, in QBO (a Payment of 0 linking
     * both), up to the invoice's open balance. Default true; false leaves every credit for the user to apply.
     */
    applyCreditMemos: z.boolean().optional(),
  })
  .strict();

export type CompanySettings = z.infer<typeof companySettingsSchema>;

export const defaultCompanySettings: Required<Pick<CompanySettings, 'abortOnError' | 'nameCollisionPolicy' | 'passOrderDiscount' | 'salesTax' | 'applyCreditMemos'>> = {
  abortOnError: false,
  applyCreditMemos: true,
  nameCollisionPolicy: 'report',
  passOrderDiscount: false,
  salesTax: 'qbo',
};

/** Parses the stored JSON; a row written by an older version with unknown keys still reads. */
export function parseCompanySettings(json: string): CompanySettings {
  const parsed = companySettingsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : companySettingsSchema.strip().parse(JSON.parse(json));
}
