import type { Transaction } from 'kysely';
import { markInvoicesTransferred } from '../erp/invoices.ts';
import type { Database } from '../schema.ts';
import { assertLeaseHeld, type LeaseFence } from '../locks/repository.ts';
import { completeIntents, type IntentScope } from './intents.ts';
import type { IntentKind } from './tables.ts';

export interface ExportedRecord {
  readonly recordId: number;
  readonly qboId: string;
}

/**
 * The one commit of records exported to QuickBooks (docs/design.md rule 13): their QBO ids written to the ERP
 * rows by `writeIds` and their intents marked done, in the caller's transaction. One record or a batch of 30,
 * created or adopted, it is this same step. Fenced (issue 13): with a `fence`, the transaction first proves that
 * the run's lease still stands by the database's clock, with its generation, and holds it until the commit;
 * otherwise LeaseLostError and nothing is written.
 */
export async function commitExported(
  trx: Transaction<Database>,
  fence: LeaseFence | null,
  scope: IntentScope,
  kind: IntentKind,
  done: readonly ExportedRecord[],
  at: Date,
  writeIds: (trx: Transaction<Database>, done: readonly ExportedRecord[]) => Promise<unknown>,
): Promise<void> {
  if (done.length === 0) return;
  if (fence) await assertLeaseHeld(trx, fence);
  await writeIds(trx, done);
  await completeIntents(trx, scope, kind, done, at);
}

/** Invoices: marked transferred with their QBO ids (two statements for a whole batch, not sixty). */
export async function commitTransferredInvoices(
  trx: Transaction<Database>,
  fence: LeaseFence | null,
  scope: IntentScope,
  done: readonly ExportedRecord[],
  at: Date,
): Promise<void> {
  await commitExported(trx, fence, scope, 'invoice', done, at, (t, records) =>
    markInvoicesTransferred(t, scope.companyId, records.map((d) => ({ invoiceId: d.recordId, qboId: d.qboId })), at, scope.realmId));
}
