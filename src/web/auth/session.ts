import { hkdfSync, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/index.ts';
import type { Db } from '../../store/db.ts';
import { SESSION_TTL_MS, findSession, type WebSession } from '../../store/web/sessions.ts';
import { CSRF_MESSAGE, WebError } from '../errors.ts';

export const SESSION_COOKIE = 'qbx_session';
/** Double-submit token for the sign-in form, which has no session yet (prevents login CSRF). */
export const SIGN_IN_COOKIE = 'qbx_sign_in';

declare module 'fastify' {
  interface FastifyRequest {
    webSession: WebSession | null;
  }
}

/** The cookie-signing key: its own key stretched from APP_SECRET, so it differs from the token-encryption key. */
export function cookieSigningKey(appSecret: string): string {
  return Buffer.from(hkdfSync('sha256', appSecret, 'qbo-export', 'web session cookie signing', 32)).toString('hex');
}

export function sessionCookieOptions(config: Pick<Config, 'publicUrl'>, maxAgeMs = SESSION_TTL_MS) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.publicUrl.startsWith('https:'),
    signed: true,
    maxAge: Math.floor(maxAgeMs / 1000),
  };
}

/** Reads the signed cookie and the session row; a bad signature or an expired row is simply "signed out". */
export async function loadSession(request: FastifyRequest, db: Db): Promise<void> {
  request.webSession = null;
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return;
  request.webSession = await findSession(db.kysely, unsigned.value);
}

export function requireSession(request: FastifyRequest): WebSession {
  if (!request.webSession) throw new WebError('NOT_SIGNED_IN', 'Sign in to continue.');
  return request.webSession;
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Every form POST carries the session's token in `_csrf`; anything else is refused with 403. */
export function checkCsrf(request: FastifyRequest): void {
  const session = requireSession(request);
  const body = request.body as Record<string, unknown> | undefined;
  const sent = typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) throw new WebError('CSRF', CSRF_MESSAGE);
}

export function clearSessionCookie(reply: FastifyReply, config: Pick<Config, 'publicUrl'>): void {
  reply.clearCookie(SESSION_COOKIE, { ...sessionCookieOptions(config), maxAge: 0 });
}
