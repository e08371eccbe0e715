import { z } from 'zod';
import type { Queryable } from '../erp/queryable.ts';
import { nowIso } from '../erp/queryable.ts';
import type { Company, User } from '../erp/tables.ts';
import { InvalidUserInputError } from './errors.ts';
import { decoyHash, hashPassword, verifyPassword } from './password.ts';

export const minPasswordLength = 10;
const emailSchema = z.email();

/** Emails are compared case-insensitively: stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkInput(email: string, password: string): void {
  if (!emailSchema.safeParse(email).success) throw new InvalidUserInputError(`Not an email address: ${email}`);
  if (password.length < minPasswordLength) {
    throw new InvalidUserInputError(`The password must have at least ${minPasswordLength} characters`);
  }
}

export async function findUserByEmail(db: Queryable, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export async function getUser(db: Queryable, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Creates a sign-in allowed to use the companies; the first becomes the current company. */
export async function createUser(db: Queryable, email: string, password: string, companyIds: readonly number[]): Promise<User> {
  const normalized = normalizeEmail(email);
  checkInput(normalized, password);
  const passwordHash = await hashPassword(password);
  const user = await db
    .insertInto('users')
    .values({ email: normalized, password_hash: passwordHash, current_company_id: companyIds[0] ?? null, created_at: nowIso() })
    .returningAll()
    .executeTakeFirstOrThrow();
  await addUserCompanies(db, user.id, companyIds);
  return user;
}

/** Allows the user the companies (already allowed ones are kept); sets a current company if none. */
export async function addUserCompanies(db: Queryable, userId: number, companyIds: readonly number[]): Promise<void> {
  if (companyIds.length === 0) return;
  await db
    .insertInto('user_companies')
    .values(companyIds.map((companyId) => ({ user_id: userId, company_id: companyId })))
    .onConflict((oc) => oc.columns(['user_id', 'company_id']).doNothing())
    .execute();
  await db
    .updateTable('users')
    .set({ current_company_id: companyIds[0] ?? null })
    .where('id', '=', userId)
    .where('current_company_id', 'is', null)
    .execute();
}

export async function setPassword(db: Queryable, userId: number, password: string): Promise<void> {
  if (password.length < minPasswordLength) {
    throw new InvalidUserInputError(`The password must have at least ${minPasswordLength} characters`);
  }
  await db.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', userId).execute();
}

/**
 * The user when email and password match, else null. An unknown email costs the same scrypt work as a wrong
 * password, so response times do not reveal which emails exist.
 */
export async function verifyUser(db: Queryable, email: string, password: string): Promise<User | null> {
  const user = await findUserByEmail(db, email);
  if (!user) {
    await verifyPassword(password, await decoyHash());
    return null;
  }
  return (await verifyPassword(password, user.password_hash)) ? user : null;
}

/** The companies the user may use, by code. */
export async function userCompanies(db: Queryable, userId: number): Promise<Company[]> {
  return db
    .selectFrom('companies')
    .innerJoin('user_companies', 'user_companies.company_id', 'companies.id')
    .selectAll('companies')
    .where('user_companies.user_id', '=', userId)
    .orderBy('companies.code')
    .execute();
}

/** Switches the user's current company; false (nothing changed) when it is not one of the user's companies. */
export async function setCurrentCompany(db: Queryable, userId: number, companyId: number): Promise<boolean> {
  const allowed = await db
    .selectFrom('user_companies')
    .select('company_id')
    .where('user_id', '=', userId)
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  if (!allowed) return false;
  await db.updateTable('users').set({ current_company_id: companyId }).where('id', '=', userId).execute();
  return true;
}
