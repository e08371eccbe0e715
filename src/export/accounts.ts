import type { Account } from '../qbo/entities.ts';
import type { CompanySettings } from '../store/erp/company-settings.ts';
import type { AccountRefs } from './decisions.ts';

/**
 * The accounts new QBO items are posted to (docs/qbo-behaviour.md §6.3, §6.6): the ones named (or numbered by Id) in
 * the company settings, else the realm's first active account of the right type. Looked up once per run.
 */
const roles = [
  { role: 'income', setting: 'incomeAccount', types: ['Income'], label: 'income' },
  { role: 'expense', setting: 'expenseAccount', types: ['Cost of Goods Sold'], label: 'expense (cost of goods sold)' },
  // QBO's "Inventory Asset" is an Other Current Asset account (subtype Inventory); prefer that subtype.
  { role: 'asset', setting: 'assetAccount', types: ['Other Current Asset'], label: 'inventory asset' },
] as const;

export function resolveAccounts(active: readonly Account[], settings: CompanySettings): AccountRefs {
  const result = {} as AccountRefs;
  for (const r of roles) {
    const wanted = settings[r.setting];
    if (wanted) {
      const found = active.find((a) => a.Id === wanted) ?? active.find((a) => a.Name.toLowerCase() === wanted.toLowerCase());
      result[r.role] = found
        ? { value: found.Id, name: found.Name }
        : `the export settings name ${r.label} account "${wanted}", which QuickBooks does not have as an active account; fix the setting`;
      continue;
    }
    const candidates = active.filter((a) => a.AccountType !== undefined && (r.types as readonly string[]).includes(a.AccountType));
    const best = r.role === 'asset' ? (candidates.find((a) => a.AccountSubType === 'Inventory') ?? candidates[0]) : candidates[0];
    result[r.role] = best
      ? { value: best.Id, name: best.Name }
      : `QuickBooks has no active ${r.label} account for new products; create one in QuickBooks or set one in the export settings`;
  }
  return result;
}
