import type { Command } from 'commander';
import { UserError, withContext } from '../context.ts';
import { findCompanyByCode } from '../../store/erp/companies.ts';
import { beginConnect } from '../../qbo/index.ts';
import { connectionStore } from '../../export/connections.ts';
import { say } from '../output.ts';

/** `qbo-export connect --company CODE [--print-url]`: starts the QuickBooks OAuth authorization. */
export function register(program: Command): void {
  program
    .command('connect')
    .description('start the QuickBooks connection for a company: prints the URL to open and authorize')
    .requiredOption('--company <code>', 'company code')
    .option('--print-url', 'print only the authorize URL (for scripts)')
    .action(async (opts: { company: string; printUrl?: boolean }) => {
      await withContext(async ({ db, config }) => {
        const company = await findCompanyByCode(db.kysely, opts.company);
        if (!company) throw new UserError(`Company ${opts.company} not found.`);
        const { authorizeUrl, expiresAt } = await beginConnect({ connections: connectionStore(db), config, companyId: company.id });
        if (opts.printUrl) {
          say(authorizeUrl);
          return;
        }
        say(`Open this URL in a browser and sign in to QuickBooks to connect ${company.code} (${company.name}):\n`);
        say(`  ${authorizeUrl}\n`);
        say(`QuickBooks then returns to the web app's callback ${config.qbo.redirectUri}, which completes the connection;`);
        say(`the web app (qbo-export serve) must be running at ${config.publicUrl}. The link is valid until ${expiresAt}.`);
        say(`Check the result with: qbo-export connection --company ${company.code}`);
      });
    });
}
