import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { EmulatorCore } from '../core.ts';
import { baseUrl, formOrJson, sendJson, sleep } from '../http.ts';
import { consentPage, errorPage, type ConsentParams } from './consent-page.ts';
import { idToken, INTUIT_ISSUER, jwks } from './id-token.ts';
import type { TokenSet } from './tokens.ts';
import { intuitTid } from '../wire.ts';

/** Scopes Intuit accepts (docs/qbo-behaviour.md §1.3). */
const KNOWN_SCOPES = new Set([
  'com.intuit.quickbooks.accounting', 'com.intuit.quickbooks.payment', 'openid', 'profile', 'email', 'phone', 'address',
  'payroll.compensation.read', 'project-management.project', 'app-foundations.custom-dimensions.read',
  'app-foundations.custom-field-definitions', 'time-tracking.time-entry', 'indirect-tax.tax-calculation.quickbooks',
]);

function discovery(base: string): Record<string, unknown> {
  return {
    issuer: INTUIT_ISSUER,
    authorization_endpoint: `${base}/connect/oauth2`,
    token_endpoint: `${base}/oauth2/v1/tokens/bearer`,
    userinfo_endpoint: `${base}/v1/openid_connect/userinfo`,
    revocation_endpoint: `${base}/v2/oauth2/tokens/revoke`,
    jwks_uri: `${base}/op/v1/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile', 'address', 'phone'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    claims_supported: ['aud', 'exp', 'iat', 'iss', 'realmid', 'sub'],
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** HTTP Basic or client_secret_post (docs/qbo-behaviour.md §1.2). */
function clientAuthenticated(core: EmulatorCore, request: FastifyRequest, form: Record<string, string>): boolean {
  const header = request.headers.authorization;
  let id = form.client_id;
  let secret = form.client_secret;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      id = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  return id === core.clientId && secret !== undefined && sameSecret(secret, core.clientSecret);
}

function redirectAllowed(core: EmulatorCore, uri: string): boolean {
  if (core.redirectUris) return core.redirectUris.includes(uri);
  try {
    const u = new URL(uri);
    return (u.protocol === 'http:' || u.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

function withQuery(uri: string, params: Record<string, string>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

type Checked = { ok: true; params: ConsentParams } | { ok: false; page?: string; redirect?: string };

function checkAuthorize(core: EmulatorCore, raw: Record<string, string>): Checked {
  const params: ConsentParams = {
    client_id: raw.client_id ?? '', redirect_uri: raw.redirect_uri ?? '', response_type: raw.response_type ?? '', scope: raw.scope ?? '', state: raw.state ?? '',
  };
  if (params.client_id !== core.clientId) return { ok: false, page: 'invalid_client: the client_id is not registered with this emulator.' };
  if (!params.redirect_uri) return { ok: false, page: 'invalid_request: redirect_uri is missing.' };
  if (!redirectAllowed(core, params.redirect_uri)) {
    return { ok: false, page: 'invalid_request: the redirect_uri does not match a redirect URI registered for this app.' };
  }
  const back = (error: string): Checked => ({ ok: false, redirect: withQuery(params.redirect_uri, { error, ...(params.state ? { state: params.state } : {}) }) });
  if (params.response_type !== 'code') return back('unsupported_response_type');
  const scopes = params.scope.split(/[\s+]+/).filter(Boolean);
  if (scopes.length === 0 || scopes.some((s) => !KNOWN_SCOPES.has(s))) return back('invalid_scope');
  return { ok: true, params };
}

function approve(core: EmulatorCore, params: ConsentParams, realmId: string): string {
  const code = core.tokens.issueCode(params.client_id, params.redirect_uri, realmId, params.scope, core.now());
  core.changed();
  const scopes = params.scope.split(/[\s+]+/);
  const companyScoped = scopes.includes('com.intuit.quickbooks.accounting') || scopes.includes('com.intuit.quickbooks.payment');
  return withQuery(params.redirect_uri, { code, ...(params.state ? { state: params.state } : {}), ...(companyScoped ? { realmId } : {}) });
}

function tokenBody(core: EmulatorCore, set: TokenSet, hardExpiry: boolean, now: number): Record<string, unknown> {
  const body: Record<string, unknown> = {
    token_type: 'bearer',
    access_token: set.access.token,
    refresh_token: set.refreshToken,
    expires_in: 3600,
    x_refresh_token_expires_in: Math.max(0, Math.floor((set.refreshExpiresAt - now) / 1000)),
  };
  if (set.scope.split(/\s+/).includes('openid')) body.id_token = idToken(core.clientId, set.realmId, now);
  if (hardExpiry) body.x_refresh_token_hard_expires_in = Math.max(0, Math.floor((set.hardExpiresAt - now) / 1000));
  return body;
}

function oauthJson(reply: FastifyReply, status: number, body: unknown, now: number): FastifyReply {
  return sendJson(reply.header('cache-control', 'no-cache, no-store').header('pragma', 'no-cache'), status, body, now);
}

export async function oauthRoutes(app: FastifyInstance, core: EmulatorCore, prefix: string): Promise<void> {
  const html = (reply: FastifyReply, status: number, text: string) => reply.code(status).header('content-type', 'text/html; charset=utf-8').send(text);

  // Sandbox and production documents differ only in Intuit's userinfo host; here both point at the emulator.
  for (const name of ['openid_sandbox_configuration', 'openid_configuration']) {
    const handler = async (request: FastifyRequest, reply: FastifyReply) => sendJson(reply, 200, discovery(baseUrl(request, prefix)), core.now());
    app.get(`/.well-known/${name}`, handler);
    // A host app that ignores trailing slashes already routes the second spelling to the first.
    const config = app.initialConfig as { ignoreTrailingSlash?: boolean; routerOptions?: { ignoreTrailingSlash?: boolean } };
    if (!config.ignoreTrailingSlash && !config.routerOptions?.ignoreTrailingSlash) app.get(`/.well-known/${name}/`, handler);
  }

  app.get('/connect/oauth2', async (request, reply) => {
    const checked = checkAuthorize(core, request.query as Record<string, string>);
    if (!checked.ok) return checked.redirect ? reply.redirect(checked.redirect, 302) : html(reply, 400, errorPage(checked.page ?? 'invalid_request'));
    if (core.autoConsent) return reply.redirect(approve(core, checked.params, core.defaultRealmId), 302);
    const realms = [...core.realms.values()].map((r) => ({ id: r.id, name: r.name }));
    return html(reply, 200, consentPage(`${baseUrl(request, prefix)}/connect/oauth2`, checked.params, realms));
  });

  app.post('/connect/oauth2', async (request, reply) => {
    const form = formOrJson(request);
    const checked = checkAuthorize(core, form);
    if (!checked.ok) return checked.redirect ? reply.redirect(checked.redirect, 302) : html(reply, 400, errorPage(checked.page ?? 'invalid_request'));
    const { params } = checked;
    if (form.action === 'cancel') {
      return reply.redirect(withQuery(params.redirect_uri, { error: 'access_denied', ...(params.state ? { state: params.state } : {}) }), 302);
    }
    const realms = [...core.realms.values()].map((r) => ({ id: r.id, name: r.name }));
    const realmId = form.realmId ?? core.defaultRealmId;
    const problem = !form.email ? 'Enter your email.' : !form.password ? 'Enter a password (any non-empty password is accepted).' : !core.realms.has(realmId) ? 'Choose a company.' : undefined;
    if (problem) return html(reply, 400, consentPage(`${baseUrl(request, prefix)}/connect/oauth2`, params, realms, problem));
    return reply.redirect(approve(core, params, realmId), 302);
  });

  app.post('/oauth2/v1/tokens/bearer', async (request, reply) => {
    core.counters.oauthRequests++;
    if (core.latencyMs > 0) await sleep(core.latencyMs);
    const now = core.now();
    const form = formOrJson(request);
    if (!clientAuthenticated(core, request, form)) return oauthJson(reply, 401, { error: 'invalid_client' }, now);
    const hardExpiry = String(request.headers['x-include-refresh-token-hard-expires-in'] ?? '').toLowerCase() === 'true';
    let set: TokenSet | null;
    if (form.grant_type === 'authorization_code') {
      if (!form.code) return oauthJson(reply, 400, { error: 'invalid_request', error_description: 'code is missing' }, now);
      set = core.tokens.redeemCode(form.code, core.clientId, form.redirect_uri, now);
      if (!set) return oauthJson(reply, 400, { error_description: 'Token invalid', error: 'invalid_grant' }, now);
    } else if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return oauthJson(reply, 400, { error: 'invalid_request', error_description: 'refresh_token is missing' }, now);
      set = core.tokens.refreshGrant(form.refresh_token, core.clientId, now);
      if (!set) return oauthJson(reply, 400, { error_description: 'Incorrect or invalid refresh token', error: 'invalid_grant' }, now);
    } else {
      return oauthJson(reply, 400, { error: 'unsupported_grant_type' }, now);
    }
    core.changed();
    return oauthJson(reply, 200, tokenBody(core, set, hardExpiry, now), now);
  });

  app.post('/v2/oauth2/tokens/revoke', async (request, reply) => {
    core.counters.oauthRequests++;
    const now = core.now();
    const form = formOrJson(request);
    if (!clientAuthenticated(core, request, form)) return oauthJson(reply, 401, { error: 'invalid_client' }, now);
    if (!form.token) return oauthJson(reply, 400, { error: 'invalid_request' }, now);
    // RFC 7009: an unknown token is not an error for the caller.
    if (core.tokens.revoke(form.token)) core.changed();
    return reply.code(200).header('intuit_tid', intuitTid(now)).header('cache-control', 'no-cache, no-store').send('');
  });

  app.get('/v1/openid_connect/userinfo', async (request, reply) => {
    const now = core.now();
    const bearer = request.headers.authorization?.replace(/^Bearer\s+/i, '');
    const check = core.tokens.checkAccess(bearer, now);
    if (!check.ok) return oauthJson(reply.header('www-authenticate', 'Bearer realm="Intuit", error="invalid_token"'), 401, { error: 'invalid_token' }, now);
    return oauthJson(reply, 200, {
      sub: `emulator-user-${check.token.realmId}`, email: 'demo@example.com', emailVerified: true, givenName: 'Demo', familyName: 'User',
      phoneNumber: '+1 (555) 555-5555', phoneNumberVerified: false,
      address: { streetAddress: '123 Sierra Way', locality: 'San Pablo', region: 'CA', postalCode: '87999', country: 'US' },
    }, now);
  });

  app.get('/op/v1/jwks', async (_request, reply) => sendJson(reply, 200, jwks(), core.now()));
}
