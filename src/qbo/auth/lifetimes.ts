import type { ReconnectReason } from '../errors.ts';

/**
 * Pure decisions about token lifetimes (docs/design.md rule 9), each with its reason.
 * Intuit: access tokens live 1 h; refresh tokens 100 days, rolling; all refresh tokens have a 5-year cap (§1.7).
 */

/** Refresh this long before the access token expires, so a call never starts with a dying token. */
export const REFRESH_AHEAD_MS = 5 * 60_000;
/** Warn the user when the refresh token (or the hard cap) has fewer days than this left. */
export const WARN_DAYS = 14;
/** When Intuit omits x_refresh_token_expires_in: its documented 100 days. */
export const DEFAULT_REFRESH_TTL_S = 100 * 24 * 3600;

export interface TokenTimes {
  readonly needsReconnect: boolean;
  readonly accessTokenExpiresAt: Date;
  readonly refreshTokenExpiresAt: Date;
  readonly hardExpiresAt: Date | null;
}

export type TokenDecision =
  | { readonly action: 'use'; readonly reason: 'fresh' }
  | { readonly action: 'refresh'; readonly reason: 'expired' | 'expiring-soon' | 'rejected-by-qbo' }
  | { readonly action: 'reconnect'; readonly reason: 'not-connected' | 'marked-needs-reconnect' | 'refresh-expired' | 'hard-expired' };

/**
 * What to do before a call: use the access token, refresh it, or give up and ask for a reconnect.
 * `rejected` is true when QBO just answered 401 to the token we hold.
 */
/** Why the user must reconnect, for ReconnectRequiredError: the one mapping from a `reconnect` decision. */
export function reconnectReasonOf(decision: TokenDecision & { action: 'reconnect' }): ReconnectReason {
  switch (decision.reason) {
    case 'not-connected': return 'not-connected';
    case 'marked-needs-reconnect': return 'invalid-grant';
    case 'refresh-expired': return 'refresh-expired';
    case 'hard-expired': return 'hard-expired';
  }
}

export function decideToken(times: TokenTimes | null, now: Date, rejected = false): TokenDecision {
  if (!times) return { action: 'reconnect', reason: 'not-connected' };
  if (times.needsReconnect) return { action: 'reconnect', reason: 'marked-needs-reconnect' };
  const t = now.getTime();
  if (times.hardExpiresAt && times.hardExpiresAt.getTime() <= t) return { action: 'reconnect', reason: 'hard-expired' };
  if (times.refreshTokenExpiresAt.getTime() <= t) return { action: 'reconnect', reason: 'refresh-expired' };
  if (rejected) return { action: 'refresh', reason: 'rejected-by-qbo' };
  const left = times.accessTokenExpiresAt.getTime() - t;
  if (left <= 0) return { action: 'refresh', reason: 'expired' };
  if (left < REFRESH_AHEAD_MS) return { action: 'refresh', reason: 'expiring-soon' };
  return { action: 'use', reason: 'fresh' };
}

/** Whole days until the refresh token can no longer be used (the sooner of rolling and hard expiry). */
export function daysUntilRefreshExpiry(times: Pick<TokenTimes, 'refreshTokenExpiresAt' | 'hardExpiresAt'>, now: Date): number {
  const end = Math.min(times.refreshTokenExpiresAt.getTime(), times.hardExpiresAt?.getTime() ?? Infinity);
  return Math.floor((end - now.getTime()) / 86_400_000);
}

/** A warning for the connection page and CLI, or null when all is well. */
export function expiryWarning(times: TokenTimes, now: Date): string | null {
  if (times.needsReconnect) return null;
  const days = daysUntilRefreshExpiry(times, now);
  if (days >= WARN_DAYS) return null;
  const hard = times.hardExpiresAt !== null && times.hardExpiresAt.getTime() <= times.refreshTokenExpiresAt.getTime();
  return hard
    ? `The QuickBooks authorization reaches its 5-year limit in ${Math.max(days, 0)} day(s): connect again before then.`
    : `The QuickBooks authorization expires in ${Math.max(days, 0)} day(s) unless it is used: run an export or connect again.`;
}

/** `now + seconds` as a Date. */
export function inSeconds(now: Date, seconds: number): Date {
  return new Date(now.getTime() + seconds * 1000);
}
