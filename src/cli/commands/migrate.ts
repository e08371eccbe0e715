import type { Command } from 'commander';
import { withContext } from '../context.ts';
import { migrateToLatest } from '../../store/migrate.ts';
import { say } from '../output.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date (also done automatically on start)')
    .action(async () => {
      await withContext(async ({ db, config }) => {
        // openContext already migrated; run again to report (a no-op when current).
        const applied = await migrateToLatest(db);
        say(`Database ${config.databaseUrl.replace(/\/\/[^@]*@/, '//…@')} is up to date${applied.length ? ` (${applied.length} applied)` : ''}.`);
      });
    });
}
