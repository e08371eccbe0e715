import type { Command } from 'commander';
import { UserError, withContext } from '../context.ts';
import { findCompanyByCode } from '../../store/erp/companies.ts';
import { exportCounts } from '../../store/erp/counts.ts';
import { printJson, say } from '../output.ts';

export function register(program: Command): void {
  program
    .command('counts')
    .description('Product / Customer / Invoice / Credit Memo Export Qty of a company, per the seed\'s rules')
    .requiredOption('--company <code>', 'the company')
    .option('--json', 'print {"company","productExportQty","customerExportQty","invoiceExportQty","creditMemoExportQty"}')
    .action(async (options: { company: string; json?: boolean }) => {
      await withContext(async ({ db }) => {
        const company = await findCompanyByCode(db.kysely, options.company);
        if (!company) throw new UserError(`Unknown company ${options.company}`);
        const counts = await exportCounts(db.kysely, company.id);
        if (options.json) {
          printJson({ company: company.code, ...counts });
          return;
        }
        const rows: Array<[string, string]> = [
          ['Company', company.code],
          ['Product Export Qty', String(counts.productExportQty)],
          ['Customer Export Qty', String(counts.customerExportQty)],
          ['Invoice Export Qty', String(counts.invoiceExportQty)],
          ['Credit Memo Export Qty', String(counts.creditMemoExportQty)],
        ];
        const width = Math.max(...rows.map(([label]) => label.length));
        for (const [label, value] of rows) say(`${label.padEnd(width)}  ${value}`);
      });
    });
}
