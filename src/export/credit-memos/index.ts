import type { PhaseOutcomes } from '../outcomes.ts';
import type { RunContext } from '../run-context.ts';
import { applyCreditMemos } from './apply.ts';
import { createCreditMemos } from './create.ts';

/**
 * The credit-memo phase (issue 16), after invoices so that the invoice a memo credits is in QBO first: create the
 * qualifying memos, then apply the credits still pending (this run's and any an earlier run left).
 */
export async function exportCreditMemos(rc: RunContext, outcomes: PhaseOutcomes): Promise<void> {
  await createCreditMemos(rc, outcomes);
  if (!rc.stopped) await applyCreditMemos(rc);
}
