import { loadConfig, loadDotEnv, type Config } from '../config/index.ts';
import { createLogger, type Logger } from '../config/logger.ts';
import { openDatabase, type Db } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { AppError } from '../config/errors.ts';

export interface CliContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
}

/** Settings, logger and a migrated database for one command; `close` when done. */
export async function openContext(env: NodeJS.ProcessEnv = process.env): Promise<CliContext & { close(): Promise<void> }> {
  loadDotEnv();
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  const db = openDatabase(config.databaseUrl);
  await migrateToLatest(db);
  return { config, logger, db, close: () => db.close() };
}

/**
 * Exit codes shared by the commands (docs/design.md): 0 done, 1 some records failed, 2 could not run — which
 * includes a usage error (unknown option, missing argument): never 1, which scripts read as "some failed".
 */
export const exitCode = { ok: 0, someFailed: 1, couldNotRun: 2, usage: 2 } as const;

/** A failure the user can act on: printed as one line, no stack (under --json: `{"error":{"code","message"}}`). */
export class UserError extends AppError<'CLI_FAILED'> {
  readonly code = 'CLI_FAILED';
  readonly retryable = false;
  constructor(
    message: string,
    readonly exit: number = exitCode.couldNotRun,
    /** The code `--json` prints in `{"error":{"code","message"}}`. */
    readonly outputCode: string = exit === exitCode.someFailed ? 'SOME_FAILED' : 'COULD_NOT_RUN',
  ) {
    super(message);
  }
}

/** Runs a command body with an opened context and closes it whatever happens. */
export async function withContext<T>(body: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = await openContext();
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}
