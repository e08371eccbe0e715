import { companySettingsSchema, parseCompanySettings, type CompanySettings } from './company-settings.ts';
import { nowIso, type Queryable } from './queryable.ts';
import type { Company } from './tables.ts';

export interface CompanyInput {
  code: string;
  name: string;
  qbPrimaryCompany: boolean;
  /** Replaces the stored settings when given; left as they are when absent. */
  settings?: CompanySettings;
}

export async function findCompanyByCode(db: Queryable, code: string): Promise<Company | undefined> {
  return db.selectFrom('companies').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function getCompany(db: Queryable, id: number): Promise<Company | undefined> {
  return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCompanies(db: Queryable): Promise<Company[]> {
  return db.selectFrom('companies').selectAll().orderBy('code').execute();
}

/** Inserts the company or updates it by its code; returns the stored row. */
export async function upsertCompany(db: Queryable, input: CompanyInput): Promise<Company> {
  const flag = input.qbPrimaryCompany ? 1 : 0;
  const settings = input.settings === undefined ? undefined : JSON.stringify(companySettingsSchema.parse(input.settings));
  return db
    .insertInto('companies')
    .values({ code: input.code, name: input.name, qb_primary_company: flag, settings: settings ?? '{}', created_at: nowIso() })
    .onConflict((oc) =>
      oc.column('code').doUpdateSet(settings === undefined
        ? { name: input.name, qb_primary_company: flag }
        : { name: input.name, qb_primary_company: flag, settings }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Validates and stores the company's export settings (the Setup page, `companies[].settings` on import). */
export async function updateCompanySettings(db: Queryable, companyId: number, settings: CompanySettings): Promise<void> {
  const valid = companySettingsSchema.parse(settings);
  await db.updateTable('companies').set({ settings: JSON.stringify(valid) }).where('id', '=', companyId).execute();
}

/** The seed's Company Master > Financial Interface > QuickBooks Primary Company flag. */
export async function setQbPrimaryCompany(db: Queryable, companyId: number, flag: boolean): Promise<void> {
  await db.updateTable('companies').set({ qb_primary_company: flag ? 1 : 0 }).where('id', '=', companyId).execute();
}

/** The company's export settings as stored (unknown keys from older versions dropped). */
export function companySettingsOf(company: Pick<Company, 'settings'>): CompanySettings {
  return parseCompanySettings(company.settings);
}
