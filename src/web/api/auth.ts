import type { FastifyRequest } from 'fastify';
import type { Db } from '../../store/db.ts';
import type { Company } from '../../store/erp/tables.ts';
import { verifyApiToken } from '../../store/web/api-tokens.ts';
import { companiesOfUser } from '../auth/users.ts';
import { WebError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The user the bearer token belongs to (API routes only). */
    apiUserId: number | null;
  }
}

/** `Authorization: Bearer qbx_…` → the token's user; anything else is 401. */
export async function authenticateApi(request: FastifyRequest, db: Db): Promise<void> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const userId = match?.[1] ? await verifyApiToken(db.kysely, match[1]) : null;
  if (userId === null) {
    throw new WebError('NOT_SIGNED_IN', match ? 'The API token is unknown or revoked.' : 'An API token is required: send "Authorization: Bearer <token>" (make one with `qbo-export tokens create --user EMAIL`).');
  }
  request.apiUserId = userId;
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
