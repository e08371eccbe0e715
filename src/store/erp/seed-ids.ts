import { booksOf, type Books } from './qbo-ids.ts';
import type { Queryable } from './queryable.ts';

/**
 * The seed's id fields over ids kept per QuickBooks company (issue 12):
 * - Financial System Customer ID = the customer's id in the books of the QuickBooks Primary Company;
 * - Secondary Customer ID = its id in the books of the non-primary company;
 * - Financial System Product ID = the product's id in its company's books;
 * - `qboIds: {"COMPANY": "id"}` = the id in the books of each named company (any number of companies).
 * A seed field is exact while all companies of its kind use one books; otherwise it is ambiguous: reading it
 * gives null (the per-company form has the ids), writing it is refused naming the companies.
 */
export interface CompanyBooks {
  id: number;
  code: string;
  primary: boolean;
  books: Books;
}

export async function loadCompanyBooks(db: Queryable): Promise<CompanyBooks[]> {
  const rows = await db.selectFrom('companies').select(['id', 'code', 'qb_primary_company', 'qbo_realm_id']).orderBy('code').execute();
  return rows.map((r) => ({ id: r.id, code: r.code, primary: r.qb_primary_company === 1, books: booksOf(r) }));
}

export type SeedCustomerField = 'financialSystemCustomerId' | 'secondaryCustomerId';

/** The one books a seed customer field stands for, or why there is none. */
export function booksOfSeedField(companies: readonly CompanyBooks[], field: SeedCustomerField): { books: Books } | { problem: string } {
  const primary = field === 'financialSystemCustomerId';
  const owners = companies.filter((c) => c.primary === primary);
  const books = [...new Set(owners.map((c) => c.books))];
  if (books.length === 1) return { books: books[0] as Books };
  if (owners.length === 0) {
    return { problem: primary
      ? 'no company is the QuickBooks Primary Company, so this id belongs to no books; import the companies first or give "qboIds": {"COMPANY": "id"}'
      : 'every company is the QuickBooks Primary Company, so no books hold a secondary id; give "qboIds": {"COMPANY": "id"}' };
  }
  const names = owners.map((c) => c.code).join(', ');
  return { problem: `is ambiguous: the ${primary ? 'QuickBooks Primary Companies' : 'non-primary companies'} ${names} use different QuickBooks companies; give the id per company as "qboIds": {"${owners[0]?.code ?? 'COMPANY'}": "id"}` };
}

export interface SeedIdInput {
  financialSystemCustomerId?: string | null | undefined;
  secondaryCustomerId?: string | null | undefined;
  qboIds?: Readonly<Record<string, string>> | undefined;
}

export type ResolvedIds = { ok: true; ids: Array<{ books: Books; qboId: string }> } | { ok: false; problems: Array<{ path: string; message: string }> };

/** Where a customer's imported ids go; empty or null fields never erase a stored id. */
export function resolveCustomerIds(companies: readonly CompanyBooks[], input: SeedIdInput): ResolvedIds {
  const ids = new Map<Books, { qboId: string; path: string }>();
  const problems: Array<{ path: string; message: string }> = [];
  const put = (books: Books, qboId: string, path: string) => {
    const before = ids.get(books);
    if (before && before.qboId !== qboId) {
      problems.push({ path, message: `says ${qboId} but ${before.path} says ${before.qboId} for the same QuickBooks company` });
    } else ids.set(books, { qboId, path });
  };
  for (const field of ['financialSystemCustomerId', 'secondaryCustomerId'] as const) {
    const value = input[field];
    if (!value) continue;
    const target = booksOfSeedField(companies, field);
    if ('problem' in target) problems.push({ path: field, message: target.problem });
    else put(target.books, value, field);
  }
  problems.push(...perCompany(companies, input.qboIds, put, () => null));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, ids: [...ids].map(([books, v]) => ({ books, qboId: v.qboId })) };
}

/** A product belongs to one company: its Financial System Product ID and `qboIds` can only name that company's books. */
export function resolveProductIds(companies: readonly CompanyBooks[], companyId: number, financialSystemProductId: string | null | undefined, qboIds: Readonly<Record<string, string>> | undefined): ResolvedIds {
  const own = companies.find((c) => c.id === companyId);
  if (!own) return { ok: false, problems: [{ path: 'company', message: 'unknown company' }] };
  const ids = new Map<Books, string>();
  const problems: Array<{ path: string; message: string }> = [];
  if (financialSystemProductId) ids.set(own.books, financialSystemProductId);
  problems.push(...perCompany(companies, qboIds, (books, qboId, path) => {
    const before = ids.get(books);
    if (before !== undefined && before !== qboId) problems.push({ path, message: `says ${qboId} but financialSystemProductId says ${before}` });
    else ids.set(books, qboId);
  }, (c) => (c.id === companyId ? null : `the product belongs to ${own.code}, not ${c.code}`)));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, ids: [...ids].map(([books, qboId]) => ({ books, qboId })) };
}

function perCompany(
  companies: readonly CompanyBooks[],
  qboIds: Readonly<Record<string, string>> | undefined,
  put: (books: Books, qboId: string, path: string) => void,
  refuse: (company: CompanyBooks) => string | null,
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  for (const [code, qboId] of Object.entries(qboIds ?? {})) {
    const path = `qboIds.${code}`;
    const company = companies.find((c) => c.code === code);
    const why = company ? refuse(company) : `unknown company "${code}"`;
    if (why || !company) problems.push({ path, message: why ?? `unknown company "${code}"` });
    else put(company.books, qboId, path);
  }
  return problems;
}

/** What users see for a customer: the seed's two fields where exact, and the id per company. */
export function seedCustomerView(companies: readonly CompanyBooks[], ids: ReadonlyMap<Books, string> | undefined): {
  financialSystemCustomerId: string | null;
  secondaryCustomerId: string | null;
  qboIds: Record<string, string>;
} {
  const field = (f: SeedCustomerField) => {
    const target = booksOfSeedField(companies, f);
    return 'books' in target ? (ids?.get(target.books) ?? null) : null;
  };
  const qboIds: Record<string, string> = {};
  for (const c of companies) {
    const id = ids?.get(c.books);
    if (id !== undefined) qboIds[c.code] = id;
  }
  return { financialSystemCustomerId: field('financialSystemCustomerId'), secondaryCustomerId: field('secondaryCustomerId'), qboIds };
}
