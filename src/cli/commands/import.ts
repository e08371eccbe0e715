import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError, exitCode, withContext } from '../context.ts';
import { formatProblem, importFile, type ImportResult } from '../../store/import/importer.ts';
import { complain, printJson, say } from '../output.ts';

function summary(result: ImportResult): string {
  const c = result.counts;
  return `${result.file}: imported ${c.companies} companies, ${c.customers} customers, ${c.products} products, ${c.invoices} invoices, ${c.creditMemos} credit memos (${c.lines} lines) in ${(result.durationMs / 1000).toFixed(1)} s`;
}

export function register(program: Command): void {
  program
    .command('import')
    .description('load ERP records from a JSON document or CSV files; upserts by natural keys; all or nothing per file')
    .argument('<files...>', 'JSON document or CSV files (customers.csv, products.csv, invoices.csv, invoice-lines.csv, credit-memos.csv, credit-memo-lines.csv), imported in the order given')
    .option('--company <code>', 'company for products and invoices that name none')
    .option('--json', 'print the results as one JSON document')
    .action(async (files: string[], options: { company?: string; json?: boolean }) => {
      const missing = files.filter((f) => !existsSync(f));
      if (missing.length > 0) throw new UserError(`No such file: ${missing.join(', ')}`);
      await withContext(async ({ db }) => {
        const results: ImportResult[] = [];
        for (const file of files) {
          const result = await importFile(db, file, options.company === undefined ? {} : { defaultCompany: options.company });
          results.push(result);
          if (!options.json) {
            if (result.ok) {
              for (const w of result.warnings) complain(`warning: ${formatProblem(result.file, w)}`);
              const more = result.warningCount - result.warnings.length;
              if (more > 0) complain(`${result.file}: … and ${more} more warnings`);
              say(summary(result));
            }
            else {
              for (const p of result.problems) complain(formatProblem(result.file, p));
              const more = result.problemCount - result.problems.length;
              if (more > 0) complain(`${result.file}: … and ${more} more problems`);
              complain(`${result.file}: ${result.problemCount} problem${result.problemCount === 1 ? '' : 's'}; nothing from this file was imported`);
            }
          }
          // Later files usually build on earlier ones (invoices on customers): stop at the first rejected file.
          if (!result.ok) break;
        }
        const skipped = files.slice(results.length);
        if (options.json) printJson({ results, skipped });
        else if (skipped.length > 0) complain(`Not imported (an earlier file was rejected): ${skipped.join(', ')}`);
        if (results.some((r) => !r.ok)) process.exitCode = exitCode.someFailed;
      });
    });
}
