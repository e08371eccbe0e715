import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.ts';
import { UserError, exitCode } from './context.ts';
import { register as migrate } from './commands/migrate.ts';
import { register as users } from './commands/users.ts';
import { register as importCommand } from './commands/import.ts';
import { register as counts } from './commands/counts.ts';
import { register as connect } from './commands/connect.ts';
import { register as connection } from './commands/connection.ts';
import { register as emulator } from './commands/emulator.ts';
import { register as tokens } from './commands/tokens.ts';
import { register as exportCommand } from './commands/export.ts';
import { register as log } from './commands/log.ts';
import { register as serve } from './commands/serve.ts';
import { register as start } from './commands/start.ts';

/** Each command lives in its own file under commands/ and registers itself here. */
const commands: ReadonlyArray<(program: Command) => void> = [migrate, users, importCommand, counts, connect, connection, emulator, tokens, exportCommand, log, serve, start];

const program = new Command('qbo-export')
  .description('Export approved sales invoices from the ERP into QuickBooks Online')
  .showHelpAfterError()
  .exitOverride();
for (const register of commands) register(program);

try {
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
