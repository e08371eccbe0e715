import { userInfo } from 'node:os';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { UserError, exitCode, withContext } from '../context.ts';
import { findCompanyByCode } from '../../store/erp/companies.ts';
import { ExportAlreadyRunningError, runExport, type ExportProgress, type ExportSummary } from '../../export/index.ts';
import { complain, printJson, say } from '../output.ts';

/** `qbo-export export --company CODE [--dry-run] [--json]`: the Sales Invoice Exporter (exit 0 / 1 / 2, docs/design.md). */
export function register(program: Command): void {
  program
    .command('export')
    .description('export approved sales invoices (with their customers and products) to QuickBooks Online')
    .requiredOption('--company <code>', 'company code')
    .option('--dry-run', 'show what would be matched, added, created or fail, without writing anything')
    .option('--json', 'print the summary as one JSON document')
    .action(async (opts: { company: string; dryRun?: boolean; json?: boolean }) => {
      await withContext(async ({ db, config, logger }) => {
        const company = await findCompanyByCode(db.kysely, opts.company);
        if (!company) throw new UserError(`Company ${opts.company} not found.`);
        const bar = progressBar(Boolean(opts.json));
        // Ctrl-C stops after the records in flight; the next run continues where this one stopped.
        const abort = new AbortController();
        const onSigint = () => abort.abort();
        process.once('SIGINT', onSigint);
        let summary: ExportSummary;
        try {
          summary = await runExport({
            db, config, logger, companyId: company.id, startedBy: `cli:${userInfo().username}`, dryRun: Boolean(opts.dryRun),
            signal: abort.signal, ...(bar ? { onProgress: bar.update } : {}),
          });
        } catch (error) {
          if (error instanceof ExportAlreadyRunningError) throw new UserError(error.message, exitCode.couldNotRun);
          throw error;
        } finally {
          bar?.stop();
          process.off('SIGINT', onSigint);
        }
        if (opts.json) printJson(summary);
        else printSummary(summary, company.code);
        // The seed's sentence, exactly, whenever the authorization was refused.
        if (summary.stopReason === 'unauthorized' && summary.stoppedBecause) complain(summary.stoppedBecause);
        process.exitCode = exitOf(summary);
      });
    });
}

function exitOf(summary: ExportSummary): number {
  if (summary.stopReason === 'unauthorized' || summary.stopReason === 'error') return exitCode.couldNotRun;
  return summary.status === 'succeeded' ? exitCode.ok : exitCode.someFailed;
}

/** A bar on stderr, only for a person at a terminal (never in --json or piped output). */
function progressBar(json: boolean): { update: (p: ExportProgress) => void; stop: () => void } | null {
  if (json || !process.stderr.isTTY) return null;
  const bar = new cliProgress.SingleBar(
    { format: '{phase} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let phase: string | null = null;
  return {
    update(p) {
      if (p.phase !== phase) {
        if (phase !== null) bar.stop();
        phase = p.phase;
        bar.start(p.total, p.done, { phase: p.phase.padEnd(9) });
      } else {
        bar.setTotal(p.total);
        bar.update(p.done);
      }
    },
    stop: () => {
      if (phase !== null) bar.stop();
    },
  };
}

function printSummary(s: ExportSummary, code: string): void {
  const title = s.dryRun ? 'Dry run (nothing was written to QuickBooks or the ERP)' : 'Export';
  say(`${title} for ${code}: ${s.status} — Process Log entry ${s.runId} "Sales Invoice Exporter"`);
  const c = s.customers;
  const p = s.products;
  const i = s.invoices;
  const doubt = (n: number) => (n > 0 ? `, ${n} in doubt (the next export settles them)` : '');
  say(`  Customers: ${c.matched} matched, ${c.added} added, ${c.failed} failed${doubt(c.inDoubt)}`);
  say(`  Products:  ${p.matched} matched, ${p.added} added, ${p.failed} failed${doubt(p.inDoubt)}`);
  say(`  Invoices:  ${i.created} created, ${i.alreadyInQbo} already in QuickBooks, ${i.failed} failed${doubt(i.inDoubt)}`);
  if (s.stoppedBecause && s.stopReason !== 'unauthorized') say(`  ${s.stoppedBecause}`);
  for (const e of s.errors) say(`  ERROR    ${e.message}`);
  for (const w of s.warnings) say(`  WARNING  ${w.message}`);
}
