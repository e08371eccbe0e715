import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createSession, deleteExpiredSessions, deleteSession } from '../../store/web/sessions.ts';
import { SESSION_COOKIE, SIGN_IN_COOKIE, clearSessionCookie, sameSecret, sessionCookieOptions } from '../auth/session.ts';
import { SignInThrottle } from '../auth/sign-in-throttle.ts';
import { checkPassword } from '../auth/users.ts';
import { CSRF_MESSAGE, WebError } from '../errors.ts';
import { safeRedirectTarget } from '../safe-redirect.ts';
import { html } from '../render/html.ts';
import { page } from '../render/layout.ts';
import type { WebDeps } from '../deps.ts';

const SIGN_IN_FORM_TTL_MS = 30 * 60 * 1000;

function signInPage(token: string, next: string, email: string, problem: string | null): string {
  const body = html`<section class="card sign-in">
    <h1>Sign in</h1>
    ${problem ? html`<p class="flash error" role="alert" id="sign-in-problem">${problem}</p>` : ''}
    <form class="stacked" method="post" action="/sign-in">
      <input type="hidden" name="_csrf" value="${token}">
      <input type="hidden" name="next" value="${next}">
      <div><label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="${email}"${problem ? html` aria-describedby="sign-in-problem"` : ''}></div>
      <div><label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required></div>
      <div><button type="submit" class="button">Sign in</button></div>
    </form>
    <p class="notice">Accounts are made with <code>qbo-export users add EMAIL --company CODE</code>.</p>
  </section>`;
  return page({ title: 'Sign in', body }).value;
}

export function registerSignIn(app: FastifyInstance, deps: WebDeps): void {
  const { db, config } = deps;
  const throttle = new SignInThrottle(db);

  app.get('/', async (_request, reply) => reply.redirect('/sales-invoice-export', 303));

  app.get<{ Querystring: { next?: unknown } }>('/sign-in', async (request, reply) => {
    const next = safeRedirectTarget(request.query.next);
    if (request.webSession) return reply.redirect(next, 303);
    // Double-submit token: the sign-in form has no session yet, so its CSRF token lives in a signed cookie.
    const token = randomBytes(24).toString('base64url');
    void reply.setCookie(SIGN_IN_COOKIE, token, { ...sessionCookieOptions(config, SIGN_IN_FORM_TTL_MS), path: '/sign-in' });
    return reply.type('text/html; charset=utf-8').send(signInPage(token, next, '', null));
  });

  app.post<{ Body: Record<string, string | undefined> }>('/sign-in', { config: { csrf: false } }, async (request, reply) => {
    const raw = request.cookies[SIGN_IN_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : null;
    const sent = request.body._csrf;
    if (!unsigned?.valid || !unsigned.value || typeof sent !== 'string' || !sameSecret(sent, unsigned.value)) {
      throw new WebError('CSRF', CSRF_MESSAGE);
    }
    // An email longer than any real one is still counted (under its first 320 characters) and refused.
    const email = (typeof request.body.email === 'string' ? request.body.email : '').trim().slice(0, 320);
    const next = safeRedirectTarget(request.body.next);
    // Counted before the password is checked: parallel guesses cannot all slip through (sign-in-throttle.ts).
    const decision = await throttle.take(email, request.ip);
    if (!decision.allowed) {
      const minutes = Math.ceil(decision.retryAfterS / 60);
      const wait = `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}`;
      const problem = decision.by === 'address'
        ? `Too many sign-in attempts from your network. ${wait}.`
        : `Too many sign-in attempts for this email. ${wait}, or ask an administrator to run: qbo-export users unlock ${email}`;
      request.log.warn({ email, ip: request.ip, by: decision.by }, 'sign-in throttled');
      return reply.status(429).header('retry-after', String(decision.retryAfterS)).type('text/html; charset=utf-8')
        .send(signInPage(sent, next, email, problem));
    }
    const userId = await checkPassword(db, email, typeof request.body.password === 'string' ? request.body.password : '');
    if (userId === null) {
      request.log.info({ email, ip: request.ip }, 'sign-in refused');
      return reply.status(401).type('text/html; charset=utf-8').send(signInPage(sent, next, email, 'Email or password is not right.'));
    }
    await throttle.succeeded(email, request.ip);
    // A fresh session id at sign-in (no session fixation); the old one, if any, is removed.
    if (request.webSession) await deleteSession(db.kysely, request.webSession.idHash);
    await deleteExpiredSessions(db.kysely);
    const { id } = await createSession(db.kysely, userId);
    void reply.clearCookie(SIGN_IN_COOKIE, { path: '/sign-in' });
    void reply.setCookie(SESSION_COOKIE, id, sessionCookieOptions(config));
    return reply.redirect(next, 303);
  });

  app.post('/sign-out', async (request, reply) => {
    if (request.webSession) await deleteSession(db.kysely, request.webSession.idHash);
    clearSessionCookie(reply, config);
    return reply.redirect('/sign-in', 303);
  });
}
