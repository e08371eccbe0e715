import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import type { Config } from '../../config/index.ts';
import { DEFAULT_REFRESH_TTL_S } from './lifetimes.ts';
import { AppError } from '../../config/errors.ts';

/**
 * Intuit's OAuth 2.0 endpoints, read from the OpenID discovery document (§1.2), and the two token
 * grants (§1.5) on oauth4webapi. The scope is the Accounting API's only.
 */
export const ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

/** Intuit's discovery document lives at its own URL, not under the issuer, so it is read here, not by discoveryRequest. */
export const discoverySchema = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  revocation_endpoint: z.url().optional(),
});

export class OAuthError extends AppError<'QBO_OAUTH'> {
  readonly code = 'QBO_OAUTH';
  readonly retryable = false;
  constructor(
    message: string,
    /** The OAuth `error` value when the server sent one (`invalid_grant`, `invalid_client`, …). */
    readonly oauthError: string | null,
    readonly intuitTid: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** plain http only for our own machine (the emulator); Intuit is https. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

export interface OAuthEndpoints {
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly auth: oauth.ClientAuth;
  readonly redirectUri: string;
  readonly insecure: boolean;
}

const discovered = new Map<string, Promise<oauth.AuthorizationServer>>();

async function discover(url: string, insecure: boolean): Promise<oauth.AuthorizationServer> {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new OAuthError(`The discovery document at ${url} answered HTTP ${response.status}`, null, response.headers.get('intuit_tid'));
  const doc = discoverySchema.safeParse(await response.json());
  if (!doc.success) throw new OAuthError(`The discovery document at ${url} is not usable: ${z.prettifyError(doc.error)}`, null, null);
  for (const endpoint of [doc.data.authorization_endpoint, doc.data.token_endpoint]) {
    if (!insecure && new URL(endpoint).protocol !== 'https:') throw new OAuthError(`Refusing a non-https OAuth endpoint: ${endpoint}`, null, null);
  }
  return doc.data as oauth.AuthorizationServer;
}

/** The endpoints for this configuration (the discovery document is read once per process). */
export async function oauthEndpoints(config: Config): Promise<OAuthEndpoints> {
  const url = config.qbo.discoveryUrl;
  const insecure = isLoopbackUrl(url);
  let pending = discovered.get(url);
  if (!pending) {
    pending = discover(url, insecure);
    discovered.set(url, pending);
    pending.catch(() => discovered.delete(url));
  }
  return {
    as: await pending,
    client: { client_id: config.qbo.clientId },
    auth: oauth.ClientSecretBasic(config.qbo.clientSecret),
    redirectUri: config.qbo.redirectUri,
    insecure,
  };
}

export function authorizeUrl(ep: OAuthEndpoints, state: string): string {
  const url = new URL(ep.as.authorization_endpoint ?? '');
  url.searchParams.set('client_id', ep.client.client_id);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', ACCOUNTING_SCOPE);
  url.searchParams.set('redirect_uri', ep.redirectUri);
  url.searchParams.set('state', state);
  return url.toString();
}

/** A token response, in relative seconds as Intuit sends them. */
export interface TokenGrant {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresInS: number;
  readonly refreshExpiresInS: number;
  /** Only when asked for with the opt-in header (§1.5). */
  readonly hardExpiresInS: number | null;
}

function requestOptions(ep: OAuthEndpoints): oauth.TokenEndpointRequestOptions {
  return {
    // Opt in to the 5-year hard expiry in the answer (Intuit, 2025-11 policy).
    headers: { 'x-include-refresh-token-hard-expires-in': 'true', accept: 'application/json' },
    signal: AbortSignal.timeout(20_000),
    ...(ep.insecure ? { [oauth.allowInsecureRequests]: true } : {}),
  };
}

function grantFrom(res: oauth.TokenEndpointResponse): TokenGrant {
  if (typeof res.refresh_token !== 'string') throw new OAuthError('The token answer holds no refresh token', null, null);
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
  return {
    accessToken: res.access_token,
    refreshToken: res.refresh_token,
    expiresInS: num(res.expires_in) ?? 3600,
    refreshExpiresInS: num(res.x_refresh_token_expires_in) ?? DEFAULT_REFRESH_TTL_S,
    hardExpiresInS: num(res.x_refresh_token_hard_expires_in),
  };
}

/** Turns oauth4webapi's failures into OAuthError with the `error` code (never the token or secret). */
function wrap(error: unknown, what: string): OAuthError {
  if (error instanceof OAuthError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    return new OAuthError(`${what} failed: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`, error.error, error.response.headers.get('intuit_tid'), { cause: error });
  }
  return new OAuthError(`${what} failed: ${(error as Error).message}`, null, null, { cause: error });
}

// POST token_endpoint grant_type=authorization_code (§1.5); the code is single-use.
export async function exchangeCode(ep: OAuthEndpoints, callback: URLSearchParams): Promise<TokenGrant> {
  try {
    const params = oauth.validateAuthResponse(ep.as, ep.client, callback, oauth.skipStateCheck);
    const response = await oauth.authorizationCodeGrantRequest(ep.as, ep.client, ep.auth, params, ep.redirectUri, oauth.nopkce, requestOptions(ep));
    return grantFrom(await oauth.processAuthorizationCodeResponse(ep.as, ep.client, await withoutIdToken(response)));
  } catch (error) {
    throw wrap(error, 'The authorization code exchange');
  }
}

// POST token_endpoint grant_type=refresh_token (§1.5); the answer may carry a rotated refresh token.
export async function refreshGrant(ep: OAuthEndpoints, refreshToken: string): Promise<TokenGrant> {
  let response: Response;
  try {
    response = await oauth.refreshTokenGrantRequest(ep.as, ep.client, ep.auth, refreshToken, requestOptions(ep));
  } catch (error) {
    throw wrap(error, 'The token refresh');
  }
  return tokenGrantFromResponse(ep, response);
}

/** Reads a token-endpoint answer (§1.6, §1.8): a grant, or OAuthError with Intuit's `error` code. */
export async function tokenGrantFromResponse(ep: Pick<OAuthEndpoints, 'as' | 'client'>, response: Response): Promise<TokenGrant> {
  try {
    return grantFrom(await oauth.processRefreshTokenResponse(ep.as, ep.client, await withoutIdToken(response)));
  } catch (error) {
    throw wrap(error, 'The token refresh');
  }
}

/**
 * We ask only for the Accounting scope, never `openid`, so an id_token (Intuit adds one when openid is
 * granted) is not ours to validate or use: drop it rather than fail on it.
 */
async function withoutIdToken(response: Response): Promise<Response> {
  if (!response.ok) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, response);
  }
  if (body && typeof body === 'object' && 'id_token' in body) delete (body as Record<string, unknown>).id_token;
  return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers: response.headers });
}

// POST revocation_endpoint token=<refresh token> (§1.9): revoking the refresh token ends the whole grant.
export async function revokeToken(ep: OAuthEndpoints, token: string): Promise<void> {
  if (!ep.as.revocation_endpoint) throw new OAuthError('The discovery document names no revocation endpoint', null, null);
  try {
    const response = await oauth.revocationRequest(ep.as, ep.client, ep.auth, token, {
      signal: AbortSignal.timeout(20_000),
      ...(ep.insecure ? { [oauth.allowInsecureRequests]: true } : {}),
    });
    await oauth.processRevocationResponse(response);
  } catch (error) {
    throw wrap(error, 'The token revocation');
  }
}
