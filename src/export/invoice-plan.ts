import { failInvoice, type InvoiceWork } from './invoice-prepare.ts';
import { judgeInvoice } from './invoice-writer.ts';
import { findByKeys } from './lookups.ts';
import { nameKey } from './names.ts';
import type { RunContext } from './run-context.ts';

/**
 * The dry run's invoice "sender": it looks the invoices up by DocNumber, as the real run does after an unknown
 * outcome, and says what the real run would do — create it, adopt ours, or fail on another record's number. A dry
 * run leaves no write in flight, so what it finds is conclusive.
 */
export async function planInvoices(rc: RunContext, work: readonly InvoiceWork[]): Promise<void> {
  const found = await findByKeys(rc.client, 'Invoice', work.map((w) => w.docNumber));
  for (const w of work) {
    const judged = judgeInvoice(found.get(nameKey(w.docNumber)), w, w.docNumber, { duplicateAnswer: false, conclusive: true });
    if (judged.kind === 'conflict') failInvoice(rc, w.ref, [judged.message], judged.qboCode);
    else if (judged.kind === 'ours') {
      rc.record(w.ref, { tally: 'alreadyInQbo', message: `is already in QuickBooks (Id ${judged.entity.Id}); will be marked transferred` });
      if (judged.note) rc.warn(w.ref, judged.note);
    } else rc.record(w.ref, { tally: 'created', message: `will be created in QuickBooks (total ${w.expectedTotal})` });
  }
}
