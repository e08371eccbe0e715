import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { apiPlugin } from './api/plugin.ts';
import { assetsPlugin } from './assets/plugin.ts';
import { cookieSigningKey } from './auth/session.ts';
import type { WebDeps } from './deps.ts';
import { registerErrorHandling } from './error-handler.ts';
import { registerHealth } from './health.ts';
import { registerJsonBodyParser } from './json-body.ts';
import { pagesPlugin } from './pages/plugin.ts';
import { webhookPlugin } from './qbo-webhooks.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { RunEventStreams } from './run-events.ts';
import type { BoundServer } from './server.ts';

export type { WebDeps } from './deps.ts';

/**
 * Builds the web app from its dependencies (docs/design.md rule 2); `server.ts` only listens and closes.
 * Callers may register more plugins (e.g. the embedded emulator) before calling `listen`.
 */
/** TRUST_PROXY as Fastify takes it: a hop count becomes "trust the first N hops". */
function trustProxyOption(value: WebDeps['config']['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return typeof value === 'boolean' ? value : [...value];
}

export async function buildApp(deps: WebDeps, options: { bound?: Pick<BoundServer, 'serverFactory'> } = {}): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = deps.logger.child({ component: 'web' });
  const app = Fastify({
    loggerInstance: logger,
    // One line per request is noise for a finance user's terminal; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 5 * 1024 * 1024,
    // Idle keep-alive connections must not hold a graceful close (open event streams are ended in preClose).
    forceCloseConnections: 'idle',
    // The client address (the sign-in throttle counts per address) from X-Forwarded-For only behind TRUST_PROXY.
    trustProxy: trustProxyOption(deps.config.trustProxy),
    // server.ts binds the port first (so port 0 is known before the config is made) and hands the server in;
    // it passes requests on only once the caller has made the app ready (`bound.open()`).
    ...(options.bound ? { serverFactory: options.bound.serverFactory } : {}),
  });
  registerErrorHandling(app);
  registerJsonBodyParser(app);
  await registerSecurityHeaders(app, deps.config);
  registerHealth(app, deps.db);
  // While rotating, cookies signed with the previous secret still verify (signed again with the new one on sign-in).
  const previous = deps.config.appSecretPrevious;
  await app.register(cookie, { secret: previous ? [cookieSigningKey(deps.config.appSecret), cookieSigningKey(previous)] : cookieSigningKey(deps.config.appSecret) });
  await app.register(assetsPlugin);
  const streams = new RunEventStreams();
  // End the live-progress streams first, or a graceful close would wait for them.
  app.addHook('preClose', async () => streams.closeAll());
  await app.register(pagesPlugin, { deps, streams });
  await app.register(apiPlugin, { deps, streams, prefix: '/api' });
  // Apart from the pages: no session, no CSRF — Intuit signs each delivery instead.
  await app.register(webhookPlugin, { deps });
  return app;
}
