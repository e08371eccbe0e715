import { z } from 'zod';

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
     * Issue 16: apply an exported credit memo to the invoice its `appliesTo` names, in QBO (a Payment of 0 linking
     * both), up to the invoice's open balance. Default true; false leaves every credit for the user to apply.
     */
    applyCreditMemos: z.boolean().optional(),
  })
  .strict();

export type CompanySettings = z.infer<typeof companySettingsSchema>;

export const defaultCompanySettings: Required<Pick<CompanySettings, 'abortOnError' | 'nameCollisionPolicy' | 'passOrderDiscount' | 'applyCreditMemos'>> = {
  abortOnError: false,
  applyCreditMemos: true,
  nameCollisionPolicy: 'report',
  passOrderDiscount: false,
};

/** Parses the stored JSON; a row written by an older version with unknown keys still reads. */
export function parseCompanySettings(json: string): CompanySettings {
  const parsed = companySettingsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : companySettingsSchema.strip().parse(JSON.parse(json));
}
