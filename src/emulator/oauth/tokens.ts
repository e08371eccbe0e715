import { randomBytes } from 'node:crypto';

/**
 * Intuit's token lifetimes and rotation (docs/qbo-behaviour.md §1.7): access tokens live 3600 s; refresh tokens
 * roll over 100 days from their last use, never beyond 5 years from the first authorization; a refresh
 * hands out a new refresh token, and the superseded one keeps working for 24 h (answering with the
 * latest one) before it gets invalid_grant.
 */
export const ACCESS_TTL_S = 3600;
export const REFRESH_ROLLING_S = 100 * 86_400;
export const REFRESH_HARD_S = 5 * 365 * 86_400;
export const SUPERSEDED_GRACE_S = 86_400;
export const CODE_TTL_S = 600;

export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  realmId: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

export interface Grant {
  id: string;
  clientId: string;
  realmId: string;
  scope: string;
  authorizedAt: number;
  revoked: boolean;
  latestRefreshToken: string;
}

export interface AccessTokenRecord {
  token: string;
  grantId: string;
  realmId: string;
  expiresAt: number;
}

export interface RefreshTokenRecord {
  token: string;
  grantId: string;
  expiresAt: number;
  supersededAt: number | null;
}

export interface TokenSet {
  access: AccessTokenRecord;
  refreshToken: string;
  refreshExpiresAt: number;
  hardExpiresAt: number;
  realmId: string;
  scope: string;
}

export type TokenState = {
  codes: AuthCode[];
  grants: Grant[];
  accessTokens: AccessTokenRecord[];
  refreshTokens: RefreshTokenRecord[];
};

function b64url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Looks like Intuit's JWE access tokens ("two dots": empty key segment) but is opaque. */
function newAccessToken(): string {
  return `eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..${b64url(16)}.${b64url(96)}.${b64url(16)}`;
}

function newRefreshToken(now: number): string {
  return `RT1-${Math.floor(now / 1000) % 1000}-H0-${Math.floor(now / 1000) + REFRESH_ROLLING_S}${randomBytes(10).toString('hex')}`;
}

function newCode(now: number): string {
  return `AB11${Math.floor(now / 1000) + CODE_TTL_S}${b64url(30).replace(/[-_]/g, 'x')}`;
}

export type AccessCheck =
  | { ok: true; token: AccessTokenRecord }
  | { ok: false; reason: 'missing' | 'unknown' | 'expired' | 'revoked' };

export class TokenStore {
  private codes = new Map<string, AuthCode>();
  private grants = new Map<string, Grant>();
  private access = new Map<string, AccessTokenRecord>();
  private refresh = new Map<string, RefreshTokenRecord>();

  issueCode(clientId: string, redirectUri: string, realmId: string, scope: string, now: number): string {
    const code = newCode(now);
    this.codes.set(code, { code, clientId, redirectUri, realmId, scope, expiresAt: now + CODE_TTL_S * 1000, used: false });
    return code;
  }

  /** Codes are single-use and expire after 10 minutes (docs/qbo-behaviour.md §1.4; lifetime chosen by us, §11.1). */
  redeemCode(code: string, clientId: string, redirectUri: string | undefined, now: number): TokenSet | null {
    const record = this.codes.get(code);
    if (!record || record.used || record.clientId !== clientId || record.expiresAt <= now) return null;
    if (redirectUri !== undefined && redirectUri !== record.redirectUri) return null;
    record.used = true;
    const grant: Grant = {
      id: b64url(12), clientId, realmId: record.realmId, scope: record.scope, authorizedAt: now, revoked: false, latestRefreshToken: '',
    };
    this.grants.set(grant.id, grant);
    return this.issue(grant, now);
  }

  refreshGrant(refreshToken: string, clientId: string, now: number): TokenSet | null {
    const record = this.refresh.get(refreshToken);
    if (!record) return null;
    const grant = this.grants.get(record.grantId);
    if (!grant || grant.revoked || grant.clientId !== clientId) return null;
    if (record.expiresAt <= now) return null;
    if (record.supersededAt !== null) {
      if (now - record.supersededAt >= SUPERSEDED_GRACE_S * 1000) return null;
      // Within the grace period the old token still works and answers with the latest one.
      const latest = this.refresh.get(grant.latestRefreshToken);
      if (!latest) return null;
      latest.expiresAt = this.rollingExpiry(grant, now);
      return this.withAccess(grant, latest, now);
    }
    record.supersededAt = now;
    return this.issue(grant, now);
  }

  /** Revoking either token ends the whole grant: access and refresh tokens (docs/qbo-behaviour.md §1.9). */
  revoke(token: string): boolean {
    const grantId = this.access.get(token)?.grantId ?? this.refresh.get(token)?.grantId;
    if (!grantId) return false;
    const grant = this.grants.get(grantId);
    if (grant) grant.revoked = true;
    return true;
  }

  revokeRealm(realmId: string): number {
    let n = 0;
    for (const grant of this.grants.values()) {
      if (grant.realmId === realmId && !grant.revoked) {
        grant.revoked = true;
        n++;
      }
    }
    return n;
  }

  checkAccess(token: string | undefined, now: number): AccessCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const record = this.access.get(token);
    if (!record) return { ok: false, reason: 'unknown' };
    if (this.grants.get(record.grantId)?.revoked !== false) return { ok: false, reason: 'revoked' };
    if (record.expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: true, token: record };
  }

  grantOf(token: AccessTokenRecord): Grant | undefined {
    return this.grants.get(token.grantId);
  }

  private rollingExpiry(grant: Grant, now: number): number {
    return Math.min(now + REFRESH_ROLLING_S * 1000, grant.authorizedAt + REFRESH_HARD_S * 1000);
  }

  private issue(grant: Grant, now: number): TokenSet {
    const rt: RefreshTokenRecord = { token: newRefreshToken(now), grantId: grant.id, expiresAt: this.rollingExpiry(grant, now), supersededAt: null };
    this.refresh.set(rt.token, rt);
    grant.latestRefreshToken = rt.token;
    return this.withAccess(grant, rt, now);
  }

  private withAccess(grant: Grant, rt: RefreshTokenRecord, now: number): TokenSet {
    const access: AccessTokenRecord = { token: newAccessToken(), grantId: grant.id, realmId: grant.realmId, expiresAt: now + ACCESS_TTL_S * 1000 };
    this.access.set(access.token, access);
    return {
      access, refreshToken: rt.token, refreshExpiresAt: rt.expiresAt, hardExpiresAt: grant.authorizedAt + REFRESH_HARD_S * 1000,
      realmId: grant.realmId, scope: grant.scope,
    };
  }

  /** Drops dead records so long runs (benchmarks, soak tests) do not grow memory without bound. */
  prune(now: number): void {
    for (const [k, c] of this.codes) if (c.expiresAt <= now) this.codes.delete(k);
    for (const [k, a] of this.access) if (a.expiresAt <= now - 86_400_000) this.access.delete(k);
  }

  summary(now: number): Record<string, unknown> {
    const grants = [...this.grants.values()].map((g) => ({
      realmId: g.realmId, clientId: g.clientId, scope: g.scope, authorizedAt: new Date(g.authorizedAt).toISOString(), revoked: g.revoked,
      refreshToken: this.refresh.has(g.latestRefreshToken)
        ? { prefix: g.latestRefreshToken.slice(0, 10), expiresAt: new Date(this.refresh.get(g.latestRefreshToken)?.expiresAt ?? 0).toISOString() }
        : null,
      accessTokens: [...this.access.values()].filter((a) => a.grantId === g.id).map((a) => ({
        expiresAt: new Date(a.expiresAt).toISOString(), valid: !g.revoked && a.expiresAt > now,
      })),
    }));
    return { grants, codesOutstanding: [...this.codes.values()].filter((c) => !c.used && c.expiresAt > now).length };
  }

  serialize(): TokenState {
    return { codes: [...this.codes.values()], grants: [...this.grants.values()], accessTokens: [...this.access.values()], refreshTokens: [...this.refresh.values()] };
  }

  static restore(state: TokenState): TokenStore {
    const store = new TokenStore();
    for (const c of state.codes) store.codes.set(c.code, c);
    for (const g of state.grants) store.grants.set(g.id, g);
    for (const a of state.accessTokens) store.access.set(a.token, a);
    for (const r of state.refreshTokens) store.refresh.set(r.token, r);
    return store;
  }
}
