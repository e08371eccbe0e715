import type { Db } from '../../store/db.ts';
import type { Company, User } from '../../store/erp/tables.ts';
import { getUser, setCurrentCompany, userCompanies, verifyUser } from '../../store/users/repository.ts';
import { WebError } from '../errors.ts';

/** The web layer's view of the user store (sign-in, the company list, the switcher). */
export async function findUserById(db: Db, id: number): Promise<User | undefined> {
  return getUser(db.kysely, id);
}

export async function companiesOfUser(db: Db, userId: number): Promise<Company[]> {
  return userCompanies(db.kysely, userId);
}

/** The user's id when the password is right; null otherwise (unknown email and wrong password alike). */
export async function checkPassword(db: Db, email: string, password: string): Promise<number | null> {
  const user = await verifyUser(db.kysely, email, password);
  return user?.id ?? null;
}

export async function setCurrentCompanyOf(db: Db, userId: number, companyId: number): Promise<void> {
  if (!(await setCurrentCompany(db.kysely, userId, companyId))) throw new WebError('FORBIDDEN', 'You do not have access to that company.');
}
