import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.ts';
import { UserError, exitCode } from './context.ts';
import { forTerminal } from '../store/input/sanity.ts';
import { complain, printJson } from './output.ts';

type Registrar = (program: Command) => void;

/**
 * Each command lives in its own file under commands/ and registers itself. They are loaded lazily:
 * `export` should not pay for the web app's and the emulator's modules (start-up time and memory).
 */
const commandModules: Readonly<Record<string, () => Promise<{ register: Registrar }>>> = {
  start: () => import('./commands/start.ts'),
  serve: () => import('./commands/serve.ts'),
  emulator: () => import('./commands/emulator.ts'),
  migrate: () => import('./commands/migrate.ts'),
  import: () => import('./commands/import.ts'),
  counts: () => import('./commands/counts.ts'),
  connect: () => import('./commands/connect.ts'),
  connection: () => import('./commands/connection.ts'),
  export: () => import('./commands/export.ts'),
  log: () => import('./commands/log.ts'),
  users: () => import('./commands/users.ts'),
  tokens: () => import('./commands/tokens.ts'),
  sync: () => import('./commands/sync.ts'),
  invoices: () => import('./commands/invoices.ts'),
};

/** The named command alone when argv names one; every command for help and unknown words. */
async function loadRegistrars(argv: readonly string[]): Promise<Registrar[]> {
  const named = argv[2] !== undefined ? commandModules[argv[2]] : undefined;
  const loaders = named ? [named] : Object.values(commandModules);
  return (await Promise.all(loaders.map((load) => load()))).map((m) => m.register);
}

/** `--json` anywhere on the line: errors are then one JSON document on stdout too, with the same exit codes. */
const jsonMode = process.argv.includes('--json');

function version(): string {
  // The package root is two folders up from src/cli/ and three from dist/src/cli/ (the built copy).
  for (const up of ['../../package.json', '../../../package.json']) {
    const path = new URL(up, import.meta.url);
    if (existsSync(path)) return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

const program = new Command('qbo-export')
  .description('Export approved sales invoices from the ERP into QuickBooks Online')
  .version(version(), '-V, --version', 'print the version')
  .showHelpAfterError(!jsonMode)
  .exitOverride()
  // Under --json the error is printed once, as JSON, below; help and --version still go to stdout.
  .configureOutput({ writeErr: (text) => (jsonMode ? undefined : process.stderr.write(forTerminal(text))) });

/** Prints the failure (as JSON under --json) and sets the exit code: 2 for usage and could-not-run, else the error's. */
function fail(code: string, message: string, exit: number): void {
  if (jsonMode) printJson({ error: { code, message } });
  else complain(message);
  process.exitCode = exit;
}

try {
  for (const register of await loadRegistrars(process.argv)) register(program);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version end with exit 0; every usage error (unknown option, missing argument) with 2, never 1:
    // 1 means "some records failed".
    const done = ['commander.helpDisplayed', 'commander.help', 'commander.version', 'commander.executeSubCommandAsync'].includes(error.code);
    if (done) process.exitCode = 0;
    else if (jsonMode) fail('USAGE', error.message.replace(/^error: /, ''), exitCode.usage);
    else process.exitCode = exitCode.usage;
  } else if (error instanceof UserError) {
    fail(error.outputCode, error.message, error.exit);
  } else if (error instanceof ConfigError) {
    fail(error.code, error.message, exitCode.couldNotRun);
  } else {
    if (!jsonMode) complain(error instanceof Error ? (error.stack ?? error.message) : String(error));
    else fail('INTERNAL', error instanceof Error ? error.message : String(error), exitCode.couldNotRun);
    process.exitCode = exitCode.couldNotRun;
  }
}
