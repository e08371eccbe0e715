import type { Command } from 'commander';
import { UserError, withContext } from '../context.ts';
import { findCompanyByCode } from '../../store/erp/companies.ts';
import { getRun, listRuns, type RunEntry, type RunWithMessages } from '../../export/index.ts';
import { printJson, say } from '../output.ts';

/** `qbo-export log [--company CODE] [--run ID] [--json]`: the Process Log ("Sales Invoice Exporter" entries). */
export function register(program: Command): void {
  program
    .command('log')
    .description('show Process Log entries of the Sales Invoice Exporter and their per-record messages')
    .option('--company <code>', 'only this company')
    .option('--run <id>', 'one entry with all its messages')
    .option('--limit <n>', 'how many entries to list', '20')
    .option('--json', 'print one JSON document')
    .action(async (opts: { company?: string; run?: string; limit: string; json?: boolean }) => {
      await withContext(async ({ db }) => {
        let companyId: number | undefined;
        if (opts.company !== undefined) {
          const company = await findCompanyByCode(db.kysely, opts.company);
          if (!company) throw new UserError(`Company ${opts.company} not found.`);
          companyId = company.id;
        }
        if (opts.run !== undefined) {
          const id = Number(opts.run);
          const run = Number.isInteger(id) && id > 0 ? await getRun(db.kysely, id) : null;
          if (!run || (companyId !== undefined && run.companyId !== companyId)) throw new UserError(`Process Log entry ${opts.run} not found.`);
          if (opts.json) printJson(run);
          else printRun(run);
          return;
        }
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit must be a positive whole number, got ${opts.limit}.`);
        const runs = await listRuns(db.kysely, { ...(companyId !== undefined ? { companyId } : {}), limit });
        // Every list command prints one object with a named array (here `runs`), as the REST API does.
        if (opts.json) printJson({ runs });
        else if (runs.length === 0) say('The Process Log is empty.');
        else for (const run of runs) say(headline(run));
      });
    });
}

function headline(r: RunEntry): string {
  const i = r.counts.invoices;
  const when = r.finishedAt ? `${r.startedAt} → ${r.finishedAt}` : `${r.startedAt} (running)`;
  return `#${r.id} ${r.name} · ${r.companyCode} · ${r.status}${r.dryRun ? ' (dry run)' : ''} · ${when} · by ${r.startedBy} · invoices ${i.created} created, ${i.alreadyInQbo} already in QuickBooks, ${i.failed} failed${i.inDoubt > 0 ? `, ${i.inDoubt} in doubt` : ''}`;
}

function printRun(r: RunWithMessages): void {
  say(headline(r));
  const c = r.counts.customers;
  const p = r.counts.products;
  say(`  Customers: ${c.matched} matched, ${c.added} added, ${c.failed} failed · Products: ${p.matched} matched, ${p.added} added, ${p.failed} failed`);
  const m = r.counts.creditMemos;
  say(`  Credit memos: ${m.created} created, ${m.alreadyInQbo} already in QuickBooks, ${m.failed} failed, ${m.applied} applied`);
  if (r.error) say(r.error);
  for (const m of r.messages) {
    if (m.recordKind === 'run' && m.message === r.error) continue;
    say(`  ${m.level.toUpperCase().padEnd(7)} ${m.qboCode ? `[${m.qboCode}] ` : ''}${m.message}`);
  }
}
