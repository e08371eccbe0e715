import type { Command } from 'commander';
import { withContext } from '../context.ts';
import { QBO_STATUSES, syncCompany } from '../../sync/index.ts';

export function register(program: Command): void {
  program
    .command('sync')
    .description('pull QuickBooks changes now (change data capture): paid, partly paid, voided and deleted invoices')
    .requiredOption('--company <code>', 'the company')
    .option('--json', 'print {"company","changes","qboStatus":{"open","partially-paid","paid","voided","deleted"}}')
    .action(async (options: { company: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        // A sweep already going (the schedule, another instance) is waited for, then this one runs.
        const result = await syncCompany(ctx, { code: options.company }, { wait: true });
        if (options.json) {
          console.log(JSON.stringify(result));
          return;
        }
        console.log(`${result.company}: ${result.changes} invoice state${result.changes === 1 ? '' : 's'} changed in QuickBooks`);
        for (const status of QBO_STATUSES) console.log(`  ${status.padEnd(15)} ${result.qboStatus[status]}`);
      });
    });
}
