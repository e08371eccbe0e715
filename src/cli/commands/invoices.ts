import type { Command } from 'commander';
import { UserError, withContext } from '../context.ts';
import { findCompanyByCode } from '../../store/erp/companies.ts';
import { invoiceStateJson, listInvoicesWithState, QBO_STATUSES, type QboStatus } from '../../sync/index.ts';

function statusOption(value: string | undefined): QboStatus | undefined {
  if (value === undefined) return undefined;
  if (!(QBO_STATUSES as readonly string[]).includes(value)) throw new UserError(`--qbo-status must be one of ${QBO_STATUSES.join(', ')} (got ${JSON.stringify(value)})`);
  return value as QboStatus;
}

export function register(program: Command): void {
  program
    .command('invoices')
    .description("the company's ERP invoices with their QuickBooks state")
    .requiredOption('--company <code>', 'the company')
    .option('--qbo-status <status>', `only invoices in this QuickBooks state: ${QBO_STATUSES.join('|')}`)
    .option('--json', 'print {"company","invoices":[{"invoiceNo","transferred","qboInvoiceId","qboStatus","qboBalance","qboTotal","lastPaymentDate"}]}')
    .action(async (options: { company: string; qboStatus?: string; json?: boolean }) => {
      const qboStatus = statusOption(options.qboStatus);
      await withContext(async ({ db }) => {
        const company = await findCompanyByCode(db.kysely, options.company);
        if (!company) throw new UserError(`Unknown company ${options.company}`);
        const rows = (await listInvoicesWithState(db.kysely, company.id, qboStatus ? { qboStatus } : {})).map(invoiceStateJson);
        if (options.json) {
          console.log(JSON.stringify({ company: company.code, invoices: rows }));
          return;
        }
        const table = [['Invoice', 'Transferred', 'QBO Id', 'QBO status', 'Balance', 'Total', 'Last payment'],
          ...rows.map((r) => [r.invoiceNo, r.transferred ? 'yes' : 'no', r.qboInvoiceId ?? '', r.qboStatus ?? '', r.qboBalance ?? '', r.qboTotal ?? '', r.lastPaymentDate ?? ''])];
        const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
        for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
        if (rows.length === 0) console.log(qboStatus ? `No invoices of ${company.code} are ${qboStatus} in QuickBooks.` : `${company.code} has no invoices.`);
      });
    });
}
