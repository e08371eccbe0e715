import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../config/logger.ts';

/** How long a graceful close lets requests in flight finish before cutting the remaining connections. */
export const CLOSE_GRACE_MS = 10_000;

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface BoundServer {
  readonly server: Server;
  readonly port: number;
  readonly host: string;
  /** For Fastify's `serverFactory`: keeps the app's handler aside until `open()`; returns the bound server. */
  readonly serverFactory: (handler: RequestHandler) => Server;
  /** From now on requests reach the app (call after `app.ready()`). */
  open(): void;
}

/** Seconds a client is asked to wait while the app starts (migrations take a moment on a large database). */
export const STARTING_RETRY_AFTER_S = 1;

/**
 * The answer while the app is being built: `/healthz` says the process is alive, everything else is 503 with
 * `Retry-After`. A page reloaded during start-up refreshes itself. Never touches the half-built app.
 */
function answerWhileStarting(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  const headers = {
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  };
  if (path === '/healthz') {
    res.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8' }).end('{"status":"ok","ready":false}');
    return;
  }
  const retry = { ...headers, 'retry-after': String(STARTING_RETRY_AFTER_S) };
  if (path === '/readyz' || path?.startsWith('/api/') || !(req.headers.accept ?? '').includes('text/html')) {
    res.writeHead(503, { ...retry, 'content-type': 'application/json; charset=utf-8' })
      .end('{"error":{"code":"STARTING","message":"qbo-export is starting; try again in a moment."}}');
    return;
  }
  res.writeHead(503, { ...retry, 'content-type': 'text/html; charset=utf-8' }).end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${STARTING_RETRY_AFTER_S}">` +
      '<title>Starting · qbo-export</title></head><body><p>qbo-export is starting. This page reloads by itself.</p></body></html>',
  );
}

/**
 * Binds the HTTP server before the app is built, so that port 0 (tests) yields the real port first: the
 * app's public URL and OAuth redirect URI depend on it. Until `open()` every request gets the start-up answer
 * above: a request must never reach a Fastify instance that is not ready (it crashed the process).
 */
export async function bindServer(port: number, host: string): Promise<BoundServer> {
  let app: RequestHandler | null = null;
  let pending: RequestHandler | null = null;
  const server = createServer((req, res) => {
    if (app) app(req, res);
    else answerWhileStarting(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server, port: (server.address() as AddressInfo).port, host,
    serverFactory(handler) {
      pending = handler;
      return server;
    },
    open() {
      if (!pending) throw new Error('the app was not built on this server');
      app = pending;
    },
  };
}

export function urlOf(bound: BoundServer): string {
  const host = bound.host === '0.0.0.0' || bound.host === '::' ? '127.0.0.1' : bound.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound.port}`;
}

/** Closes the app (hooks, live streams, database users) and then the server, cutting stragglers after the grace. */
export async function closeGracefully(app: FastifyInstance, server: Server, graceMs = CLOSE_GRACE_MS): Promise<void> {
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  cut.unref();
  try {
    await app.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  } finally {
    clearTimeout(cut);
  }
}

/** Resolves on the first SIGINT or SIGTERM (a second one exits at once: the user really wants out). */
export function untilSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'closing gracefully (press Ctrl-C again to quit at once)');
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
}
