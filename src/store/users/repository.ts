import { z } from 'zod';
import type { Queryable } from '../erp/queryable.ts';
import { nowIso } from '../erp/queryable.ts';
import type { Company, User } from '../erp/tables.ts';
import { InvalidUserInputError } from './errors.ts';
import { decoyHash, hashPassword, verifyPassword } from './password.ts';
import { accountAttemptsKey } from '../web/sign-in-attempts.ts';

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

/**
 * Sets a new password and ends every web session of the user: whoever signed in with the old password (perhaps
 * the reason for the change) is signed out. The account's sign-in throttle starts again, so a locked-out user can
 * sign in at once with the new password. API tokens are separate credentials and stay valid (`tokens revoke`).
 */
export async function setPassword(db: Queryable, userId: number, password: string): Promise<{ endedSessions: number }> {
  if (password.length < minPasswordLength) {
    throw new InvalidUserInputError(`The password must have at least ${minPasswordLength} characters`);
  }
  const user = await db.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', userId).returning('email').executeTakeFirst();
  const ended = await db.deleteFrom('web_sessions').where('user_id', '=', userId).executeTakeFirst();
  if (user) await unlockUser(db, user.email);
  return { endedSessions: Number(ended.numDeletedRows) };
}

/** Lets a user locked out by the sign-in throttle try again at once (`qbo-export users unlock`). */
export async function unlockUser(db: Queryable, email: string): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('key', '=', accountAttemptsKey(email)).execute();
}

/** Gives or takes the master-data permission: creating and changing customers, which every company shares. */
export async function setMasterData(db: Queryable, userId: number, allowed: boolean): Promise<void> {
  await db.updateTable('users').set({ master_data: allowed ? 1 : 0 }).where('id', '=', userId).execute();
}

/**
 * Whether the user may create and change customers: with the master-data permission, or with access to every
 * company (customers are organisation-wide, so a user of some companies would change what the others bill).
 */
export async function mayChangeMasterData(db: Queryable, userId: number): Promise<boolean> {
  const user = await db.selectFrom('users').select('master_data').where('id', '=', userId).executeTakeFirst();
  if (!user) return false;
  if (user.master_data === 1) return true;
  const missing = await db
    .selectFrom('companies')
    .select('companies.id')
    .where('companies.id', 'not in', (eb) => eb.selectFrom('user_companies').select('company_id').where('user_id', '=', userId))
    .executeTakeFirst();
  return missing === undefined;
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
