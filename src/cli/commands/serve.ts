import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { loadConfig, loadDotEnv, type Config } from '../../config/index.ts';
import { createLogger, type Logger } from '../../config/logger.ts';
import { emulatorPlugin } from '../../emulator/index.ts';
import { ExportService } from '../../export/index.ts';
import { startBackground, type EngineOptions, type RunningBackground } from '../../jobs/index.ts';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Db } from '../../store/db.ts';
import { migrateToLatest } from '../../store/migrate.ts';
import { buildApp } from '../../web/app.ts';
import { allowInlineStyles } from '../../web/security-headers.ts';
import { bindServer, closeGracefully, untilSignal, urlOf } from '../../web/server.ts';
import { UserError } from '../context.ts';
import { say } from '../output.ts';

/** Where `start` mounts the embedded QBO emulator on the app's own port. */
export const EMULATOR_PREFIX = '/qbo-emulator';

export interface LaunchOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly port?: number;
  readonly host?: string;
  /** Mount the QBO emulator under /qbo-emulator and point the QBO settings at it (`start`). */
  readonly embedEmulator: boolean;
  /** Runs on the migrated database before the app serves (e.g. demo data on first start). */
  readonly prepare?: (db: Db, config: Config, logger: Logger) => Promise<void>;
  /** Background work (webhook processing, sweeps, scheduled exports); default on. */
  readonly background?: boolean;
  readonly jobs?: EngineOptions;
}

export interface RunningWebApp {
  readonly url: string;
  /** The Fastify app (for `inject` in tests). */
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly db: Db;
  readonly logger: Logger;
  readonly background: RunningBackground | null;
  close(): Promise<void>;
}

/** The emulator's settings are dropped so that `start` always talks to its own emulator. */
function emulatorEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { QBO_CLIENT_ID: _id, QBO_CLIENT_SECRET: _secret, QBO_DISCOVERY_URL: _discovery, QBO_API_BASE: _api, ...rest } = env;
  // The embedded emulator signs its webhooks with this token; the app checks them with it (issue 14).
  return { ...rest, QBO_ENV: 'emulator', QBO_WEBHOOK_VERIFIER: env.QBO_WEBHOOK_VERIFIER ?? randomBytes(16).toString('hex') };
}

/**
 * The web app as a process: binds the port (so port 0 works), makes the config with the real public URL,
 * opens and migrates the database, builds the app with an export service, and closes all of it in order.
 */
export async function launchWebApp(options: LaunchOptions): Promise<RunningWebApp> {
  const env = options.embedEmulator ? emulatorEnv(options.env) : options.env;
  const first = loadConfig(env);
  const logger = createLogger(first.logLevel);
  const bound = await bindServer(options.port ?? first.port, options.host ?? first.host).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(error.code === 'EADDRINUSE' ? `Port ${options.port ?? first.port} is in use; choose another with PORT=… or --port.` : error.message);
  });
  const publicUrl = env.PUBLIC_URL ?? urlOf(bound);
  const config = loadConfig({ ...env, PUBLIC_URL: publicUrl }, options.embedEmulator ? `${publicUrl}${EMULATOR_PREFIX}` : undefined);
  const db = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(db);
    await options.prepare?.(db, config, logger);
    const exportService = new ExportService({ db, config, logger });
    const background = options.background === false ? null : await startBackground({ db, config, logger }, options.jobs);
    const app = await buildApp({ db, config, logger, exportService, ...(background ? { background } : {}) }, { bound });
    if (options.embedEmulator) {
      await app.register(async (scope) => {
        // Its consent and state pages carry their own <style>; every other header stays (security-headers.ts).
        allowInlineStyles(scope, config);
        await scope.register(emulatorPlugin, {
          // A newcomer sees Intuit's consent step (sign in, choose a company, Connect), as the seed describes.
          autoConsent: false,
          redirectUris: [config.qbo.redirectUri],
          stateFile: join(config.dataDir, 'emulator-state.json'),
          // Faults, reset and clock must not be in reach of whoever can open the app's port.
          controlLoopbackOnly: true,
          // Payments, voids and deletes made in the emulator come back to this app as QuickBooks' would.
          webhookUrl: `${publicUrl}/qbo/webhooks`,
          ...(config.sync.webhookVerifier ? { webhookVerifier: config.sync.webhookVerifier } : {}),
        });
      }, { prefix: EMULATOR_PREFIX });
    }
    await app.ready();
    bound.open();
    return {
      url: publicUrl, app, config, db, logger, background,
      async close() {
        await background?.stop();
        await closeGracefully(app, bound.server);
        await exportService.close();
        await db.close();
      },
    };
  } catch (error) {
    bound.server.close();
    await db.close();
    throw error;
  }
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the web app alone, against the configured database and QuickBooks')
    .option('--port <port>', 'port to listen on (default PORT or 3000)')
    .option('--host <host>', 'interface to listen on (default HOST or 127.0.0.1)')
    .action(async (flags: { port?: string; host?: string }) => {
      loadDotEnv();
      const port = flags.port === undefined ? undefined : Number(flags.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UserError(`--port must be 0–65535 (got ${flags.port})`);
      const app = await launchWebApp({ env: process.env, ...(port !== undefined ? { port } : {}), ...(flags.host ? { host: flags.host } : {}), embedEmulator: false });
      say(`qbo-export web app on ${app.url}  (QuickBooks: ${app.config.qbo.env}, ${app.config.qbo.apiBase})`);
      await untilSignal(app.logger);
      await app.close();
    });
}
