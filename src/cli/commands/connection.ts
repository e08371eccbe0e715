import type { Command } from 'commander';
import { UserError, withContext } from '../context.ts';
import { findCompanyByCode } from '../../store/erp/companies.ts';
import { getConnectionStatus, type ConnectionStatus } from '../../qbo/index.ts';
import { connectionStore } from '../../export/connections.ts';
import { complain, printJson, say } from '../output.ts';

/** `qbo-export connection --company CODE [--json]`: the state of the company's QuickBooks connection. */
export function register(program: Command): void {
  program
    .command('connection')
    .description("show a company's QuickBooks connection: realm, token expiries, last refresh, whether a reconnect is needed")
    .requiredOption('--company <code>', 'company code')
    .option('--json', 'print one JSON document')
    .action(async (opts: { company: string; json?: boolean }) => {
      await withContext(async ({ db, config }) => {
        const company = await findCompanyByCode(db.kysely, opts.company);
        if (!company) throw new UserError(`Company ${opts.company} not found.`);
        const status = await getConnectionStatus(connectionStore(db), company.id, config);
        if (opts.json) {
          printJson({ company: company.code, ...status });
          return;
        }
        say(describe(company.code, status));
        if (status.warning) complain(`Warning: ${status.warning}`);
      });
    });
}

function describe(code: string, s: ConnectionStatus): string {
  const line = (label: string, value: string | null): string => `  ${label.padEnd(24)} ${value ?? '—'}`;
  const head = s.realmId === null
    ? `${code}: not connected to QuickBooks. Run: qbo-export connect --company ${code}`
    : `${code}: ${s.needsReconnect ? 'QuickBooks reconnect needed' : 'connected to QuickBooks'}`;
  const lines = [
    head,
    line('Realm (company id)', s.realmId),
    line('QuickBooks company', s.companyName),
    line('Access token expires', s.accessTokenExpiresAt),
    line('Refresh token expires', s.refreshTokenExpiresAt),
    line('Hard expiry (5 years)', s.hardExpiresAt),
    line('Last refresh', s.lastRefreshAt),
    line('Days left to refresh', s.daysUntilRefreshExpiry === null ? null : String(s.daysUntilRefreshExpiry)),
    line('Needs reconnect', s.needsReconnect ? 'yes' : 'no'),
  ];
  if (s.previousRealmId) lines.push(line('Exported before to', `${s.previousCompanyName ?? '—'} (company ${s.previousRealmId}); the next export notes the change`));
  if (s.needsReconnect && s.reason) lines.push(line('Why', `${s.reason} (${s.reasonCode ?? 'unknown'})`));
  return lines.join('\n');
}
