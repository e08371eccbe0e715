import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../config/logger.ts';

/** How long a graceful close lets requests in flight finish before cutting the remaining connections. */
export const CLOSE_GRACE_MS = 10_000;

export interface BoundServer {
  readonly server: Server;
  readonly port: number;
  readonly host: string;
}

/**
 * Binds the HTTP server before the app is built, so that port 0 (tests) yields the real port first: the
 * app's public URL and OAuth redirect URI depend on it. The app attaches with `serverFactory`.
 */
export async function bindServer(port: number, host: string): Promise<BoundServer> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port, host };
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
