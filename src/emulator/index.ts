import Fastify, { type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { apiRoutes } from './api/routes.ts';
import { controlFromLoopbackOnly } from './control/loopback-only.ts';
import { controlRoutes } from './control/routes.ts';
import { EmulatorCore, type EmulatorOptions } from './core.ts';
import { oauthRoutes } from './oauth/routes.ts';
import { pageRoutes } from './page.ts';
import { faults, intuitTid, JSON_TYPE, PAYLOAD_TOO_LARGE_HTML } from './wire.ts';

export type { EmulatorOptions } from './core.ts';
export { EmulatorCore } from './core.ts';

export interface RunningEmulator {
  url: string;
  close(): Promise<void>;
  defaultRealmId: string;
}

/** Bodies above this get the gateway's 413 (Intuit's exact threshold is unknown, docs/qbo-behaviour.md §4). */
export const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** Registers every emulator route for one core on an (encapsulated) Fastify instance. */
export async function mountEmulator(app: FastifyInstance, core: EmulatorCore): Promise<void> {
  // One raw parser for everything: JSON, forms and query text are decoded by the routes themselves,
  // so malformed input gets Intuit's answer instead of Fastify's.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const now = core.now();
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
      return reply.code(413).header('content-type', 'text/html').send(PAYLOAD_TOO_LARGE_HTML);
    }
    request.log.error({ err: error }, 'emulator error');
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const fault = status === 500 ? faults.server() : faults.invalidProperty(`${error.message}\n`);
    return reply.code(status).header('content-type', JSON_TYPE).header('intuit_tid', intuitTid(now)).send(JSON.stringify(fault.body(now)));
  });
  app.addHook('onClose', async () => {
    core.cancelDelayedCommits();
    core.webhooks.stop();
    core.flush();
  });
  const prefix = app.prefix;
  await oauthRoutes(app, core, prefix);
  await apiRoutes(app, core);
  await controlRoutes(app, core);
  await pageRoutes(app, core);
}

/**
 * A Fastify plugin so the web app can mount the emulator under a prefix on its own port; every URL
 * it advertises is built from the request's protocol, host and the mount prefix. `controlLoopbackOnly`:
 * the `/_emulator/*` controls answer only clients on this machine (control/loopback-only.ts).
 */
export const emulatorPlugin: FastifyPluginAsync<EmulatorOptions & { controlLoopbackOnly?: boolean }> = async (app, opts) => {
  const { controlLoopbackOnly, ...options } = opts;
  if (controlLoopbackOnly) app.addHook('onRequest', controlFromLoopbackOnly);
  await mountEmulator(app, new EmulatorCore(options));
};

/** Starts a standalone emulator (port 0 picks a free port). */
export async function startEmulator(opts: EmulatorOptions & { port?: number; host?: string } = {}): Promise<RunningEmulator> {
  const { port = 0, host = '127.0.0.1', ...options } = opts;
  const core = new EmulatorCore(options);
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: BODY_LIMIT_BYTES });
  await app.register(async (scope) => mountEmulator(scope, core));
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actualPort}`,
    defaultRealmId: core.defaultRealmId,
    close: async () => {
      await app.close();
    },
  };
}
