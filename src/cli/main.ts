import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.ts';
import { UserError, exitCode } from './context.ts';

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

const program = new Command('qbo-export')
  .description('Export approved sales invoices from the ERP into QuickBooks Online')
  .showHelpAfterError()
  .exitOverride();

try {
  for (const register of await loadRegistrars(process.argv)) register(program);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof UserError) {
    console.error(error.message);
    process.exitCode = error.exit;
  } else if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = exitCode.couldNotRun;
  } else {
    console.error(error);
    process.exitCode = exitCode.couldNotRun;
  }
}
