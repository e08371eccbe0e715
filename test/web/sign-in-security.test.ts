import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect } from '../support/databases.ts';
import { createLogger } from '../../src/config/logger.ts';
import { createUser, setPassword, unlockUser } from '../../src/store/users/repository.ts';
import { createApiToken, revokeAllApiTokens } from '../../src/store/web/api-tokens.ts';
import { buildApp } from '../../src/web/app.ts';
import { buildTestApp, cookiesOf, csrfOf, seedWebFixture, signIn, testConfig, type WebFixture } from './support.ts';

/** Sign-in under attack: the throttle (per account, per address, behind proxies), sessions after a password change, redirects. */
describeEachDialect('sign-in security', ({ db }) => {
  let app: FastifyInstance;
  let f: WebFixture;
  before(async () => {
    f = await seedWebFixture(db());
    app = await buildTestApp(db());
  });
  after(async () => app.close());

  async function form(target: FastifyInstance, remoteAddress: string): Promise<{ cookie: string; csrf: string }> {
    const res = await target.inject({ method: 'GET', url: '/sign-in', remoteAddress });
    return { cookie: cookiesOf(res), csrf: csrfOf(res.body) };
  }

  async function newUser(name: string): Promise<{ email: string; password: string; id: number }> {
    const email = `${name}-${f.acme.code.toLowerCase()}@example.com`;
    const password = `${name} password 1`;
    const user = await createUser(db().kysely, email, password, [f.acme.id]);
    return { email, password, id: user.id };
  }

  void it('evaluates at most 5 passwords of one account when 30 arrive at once, from 30 addresses', async () => {
    const erin = await newUser('erin');
    const { cookie, csrf } = await form(app, '10.1.0.1');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        app.inject({ method: 'POST', url: '/sign-in', remoteAddress: `10.1.1.${i}`, headers: { cookie }, payload: { _csrf: csrf, email: erin.email, password: `wrong ${i}` } })),
    );
    const count = (status: number) => answers.filter((a) => a.statusCode === status).length;
    assert.equal(count(401), 5, 'passwords evaluated');
    assert.equal(count(429), 25, 'refused before the password check');
    assert.ok(answers.filter((a) => a.statusCode === 429).every((a) => Number(a.headers['retry-after']) > 0));
    // Even the right password waits now; an operator's unlock lets it in at once.
    const right = { _csrf: csrf, email: erin.email, password: erin.password };
    assert.equal((await app.inject({ method: 'POST', url: '/sign-in', remoteAddress: '10.1.2.1', headers: { cookie }, payload: right })).statusCode, 429);
    await unlockUser(db().kysely, erin.email);
    assert.equal((await app.inject({ method: 'POST', url: '/sign-in', remoteAddress: '10.1.2.1', headers: { cookie }, payload: right })).statusCode, 303);
  });

  void it('limits one client address across accounts (password spraying), not another address', async () => {
    const frank = await newUser('frank');
    const { cookie, csrf } = await form(app, '10.2.0.1');
    for (let i = 0; i < 20; i++) {
      const res = await app.inject({ method: 'POST', url: '/sign-in', remoteAddress: '10.2.0.1', headers: { cookie }, payload: { _csrf: csrf, email: `nobody${i}@example.com`, password: 'guess' } });
      assert.equal(res.statusCode, 401);
    }
    const refused = await app.inject({ method: 'POST', url: '/sign-in', remoteAddress: '10.2.0.1', headers: { cookie }, payload: { _csrf: csrf, email: frank.email, password: frank.password } });
    assert.equal(refused.statusCode, 429);
    assert.match(refused.body, /Too many sign-in attempts from your network/);
    const elsewhere = await app.inject({ method: 'POST', url: '/sign-in', remoteAddress: '10.2.0.2', headers: { cookie }, payload: { _csrf: csrf, email: frank.email, password: frank.password } });
    assert.equal(elsewhere.statusCode, 303);
  });

  void it('takes the client address from X-Forwarded-For only behind TRUST_PROXY', async () => {
    let n = 0;
    // A different account each time: only the address limit can refuse.
    const attempt = (target: FastifyInstance, c: { cookie: string; csrf: string }, forwardedFor: string) =>
      target.inject({
        method: 'POST', url: '/sign-in', remoteAddress: '10.3.0.1', headers: { cookie: c.cookie, 'x-forwarded-for': forwardedFor },
        payload: { _csrf: c.csrf, email: `spray-${(n += 1)}@example.com`, password: 'guess' },
      });
    // Not trusted (the default): a client naming a new address each time is still one address.
    const plain = await form(app, '10.3.0.1');
    for (let i = 0; i < 20; i++) assert.equal((await attempt(app, plain, `198.51.100.${i}`)).statusCode, 401);
    assert.equal((await attempt(app, plain, '198.51.100.99')).statusCode, 429);

    const proxied = await buildApp({ db: db(), config: testConfig({ TRUST_PROXY: '10.3.0.1' }), logger: createLogger('silent') });
    try {
      const c = await form(proxied, '10.3.0.1');
      for (let i = 0; i < 20; i++) assert.equal((await attempt(proxied, c, '203.0.113.1')).statusCode, 401);
      assert.equal((await attempt(proxied, c, '203.0.113.1')).statusCode, 429, 'the forwarded address is counted');
      assert.equal((await attempt(proxied, c, '203.0.113.2')).statusCode, 401, 'another client behind the same proxy is not');
    } finally {
      await proxied.close();
    }
  });

  void it('a new password ends every web session of the user; API tokens stay until revoked', async () => {
    const gina = await newUser('gina');
    const first = await signIn(app, gina);
    const second = await signIn(app, gina);
    const { token } = await createApiToken(db().kysely, gina.id, null);
    const { endedSessions } = await setPassword(db().kysely, gina.id, 'a brand new password');
    assert.equal(endedSessions, 2);
    for (const s of [first, second]) {
      const res = await app.inject({ method: 'GET', url: '/sales-invoice-export', headers: { cookie: s.cookie } });
      assert.equal(res.statusCode, 303);
      assert.match(res.headers.location as string, /^\/sign-in/);
    }
    const api = () => app.inject({ method: 'GET', url: '/api/companies', headers: { authorization: `Bearer ${token}` } });
    assert.equal((await api()).statusCode, 200);
    assert.equal(await revokeAllApiTokens(db().kysely, gina.id), 1);
    assert.equal((await api()).statusCode, 401);
    await signIn(app, { email: gina.email, password: 'a brand new password' });
  });

  void it('follows only same-site paths in next and back: never another origin, never a 500', async () => {
    const me = await signIn(app, f.alice);
    const hostile = [
      '/%09/evil.example/x', '/%0a/evil.example', '/%0d%0aSet-Cookie:%20x=1', '//evil.example', '/%5Cevil.example', '/%5C%5Cevil.example',
      'https://evil.example/', 'javascript:alert(1)', '%2F%2Fevil.example', '/%00', '/%1b[31m', '/%C2%9B', '/%E2%80%A8x/%0D',
    ];
    for (const next of hostile) {
      const res = await app.inject({ method: 'GET', url: `/sign-in?next=${next}`, headers: { cookie: me.cookie } });
      assert.equal(res.statusCode, 303, next);
      assert.equal(res.headers.location, '/sales-invoice-export', next);
    }
    const repeated = await app.inject({ method: 'GET', url: '/sign-in?next=/process-log&next=//evil.example', headers: { cookie: me.cookie } });
    assert.equal(repeated.headers.location, '/sales-invoice-export');
    const kept = await app.inject({ method: 'GET', url: '/sign-in?next=%2Fprocess-log%3Fstatus%3Dfailed', headers: { cookie: me.cookie } });
    assert.equal(kept.headers.location, '/process-log?status=failed');
    const unicode = await app.inject({ method: 'GET', url: `/sign-in?next=${encodeURIComponent('/process-log/Café')}`, headers: { cookie: me.cookie } });
    assert.equal(unicode.headers.location, '/process-log/Caf%C3%A9');

    // After signing in, and `back` on the company switch.
    const { cookie, csrf } = await form(app, '10.5.0.1');
    const signedIn = await app.inject({
      method: 'POST', url: '/sign-in', remoteAddress: '10.5.0.1', headers: { cookie },
      payload: { _csrf: csrf, email: f.alice.email, password: f.alice.password, next: '/\t/evil.example/x' },
    });
    assert.equal(signedIn.statusCode, 303);
    assert.equal(signedIn.headers.location, '/sales-invoice-export');
    for (const back of ['/\t/evil.example', '//evil.example', '/\\evil.example', 'https://evil.example', '/\r\nX-Evil: 1']) {
      const res = await app.inject({ method: 'POST', url: '/company', headers: { cookie: me.cookie }, payload: { _csrf: me.csrf, companyId: String(f.acme.id), back } });
      assert.equal(res.statusCode, 303, JSON.stringify(back));
      assert.equal(res.headers.location, '/sales-invoice-export', JSON.stringify(back));
    }
    // Sent to sign in from a page with a hostile address: the next parameter it gets is safe too.
    const bounced = await app.inject({ method: 'GET', url: '/process-log%0d%0a' });
    assert.ok(bounced.statusCode === 303 || bounced.statusCode === 404, String(bounced.statusCode));
  });
});
