import type { FastifyRequest } from 'fastify';
import type { Db } from '../../store/db.ts';
import type { Company } from '../../store/erp/tables.ts';
import { verifyApiToken } from '../../store/web/api-tokens.ts';
import { companiesOfUser } from '../auth/users.ts';
import { WebError } from '../errors.ts';
import { mayChangeMasterData } from '../../store/users/repository.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The user the bearer token belongs to (API routes only). */
    apiUserId: number | null;
    /** The token itself carries the master-data permission (`tokens create --master-data`). */
    apiTokenMasterData: boolean;
  }
}

/** `Authorization: Bearer qbx_…` → the token's user; anything else is 401. */
export async function authenticateApi(request: FastifyRequest, db: Db): Promise<void> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const token = match?.[1] ? await verifyApiToken(db.kysely, match[1]) : null;
  if (token === null) {
    throw new WebError('NOT_SIGNED_IN', match ? 'The API token is unknown or revoked.' : 'An API token is required: send "Authorization: Bearer <token>" (make one with `qbo-export tokens create --user EMAIL`).');
  }
  request.apiUserId = token.userId;
  request.apiTokenMasterData = token.masterData;
}

/**
 * Customers are organisation-wide master data (as an ERP's customer master): one company's user renaming or
 * re-addressing a customer would change what every other company bills. Creating or changing them needs a token
 * with the master-data permission, or a user with it or with access to every company; reading stays open.
 */
export async function requireMasterData(request: FastifyRequest, db: Db): Promise<void> {
  if (request.apiTokenMasterData || (await mayChangeMasterData(db.kysely, apiUser(request)))) return;
  const codes = (await companiesOfUser(db, apiUser(request))).map((c) => c.code);
  throw new WebError(
    'FORBIDDEN',
    `Customers are shared by every company, so creating or changing them needs access to every company or the master-data permission; this token's user may use only ${codes.join(', ') || 'no company'}. ` +
      'An administrator can grant it with `qbo-export users add EMAIL --company CODE --master-data` or make a token with `qbo-export tokens create --user EMAIL --master-data`.',
  );
}

export function apiUser(request: FastifyRequest): number {
  if (request.apiUserId === null) throw new WebError('NOT_SIGNED_IN', 'An API token is required.');
  return request.apiUserId;
}

/** One of the token user's companies by code; another company is answered as unknown (404), never revealed. */
export async function apiCompany(request: FastifyRequest, db: Db, code: string): Promise<Company> {
  const companies = await companiesOfUser(db, apiUser(request));
  const company = companies.find((c) => c.code === code);
  if (!company) throw new WebError('NOT_FOUND', `There is no company ${code} for this token.`);
  return company;
}
