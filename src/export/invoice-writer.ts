import type { Invoice } from '../qbo/entities.ts';
import { isQboError, type QboError } from '../qbo/errors.ts';
import { markInvoicesTransferred } from '../store/erp/invoices.ts';
import { failIntents, getIntents, writePendingIntents } from '../store/runs/intents.ts';
import { commitTransferredInvoices } from '../store/runs/commit.ts';
import { decideInvoiceAdoption } from './decisions.ts';
import { failInvoice, type InvoiceWork } from './invoice-prepare.ts';
import { adoptionView, checkCreatedTotals, keepQboAmounts } from './invoice-totals.ts';
import { findByKeys, findOne, pick } from './lookups.ts';
import { describeQboError } from './messages.ts';
import { nameKey } from './names.ts';
import { batchRequestId, writeRequestId } from './request-id.ts';
import type { RunContext } from './run-context.ts';
import { isAuthFailure, nextAttempt, writeOnce } from './write-once.ts';

/**
 * Stores QBO ids for invoices created or adopted: in ONE transaction each invoice is marked transferred with its
 * QBO id and its intent is marked done (docs/design.md rule 13).
 */
export async function commitInvoices(rc: RunContext, work: readonly InvoiceWork[], qboIds: readonly string[]): Promise<void> {
  const at = new Date();
  const done = work.map((w, i) => ({ recordId: w.invoiceId, qboId: qboIds[i] as string }));
  await rc.db.kysely.transaction().execute((trx) => commitTransferredInvoices(trx, rc.scope, done, at));
}

/** After a create: QBO's totals must be what the sales-tax mode promises (invoice-totals.ts), else reported. */
function reportCreated(rc: RunContext, w: InvoiceWork, created: Invoice): void {
  const verdict = checkCreatedTotals(created, w.expectedTotal, w.check);
  rc.record(w.ref, verdict.ok ? { tally: 'created', message: verdict.message } : { tally: 'created', level: 'error', message: verdict.message });
}

/** One invoice through a single create (uses the request budget that batch calls leave over). */
export async function createInvoiceSingly(rc: RunContext, w: InvoiceWork): Promise<void> {
  const outcome = await writeOnce(rc, {
    kind: 'invoice',
    recordId: w.invoiceId,
    lookupKey: w.docNumber,
    entity: 'Invoice',
    payload: w.payload,
    lookup: (key) => findOne(rc.client, 'Invoice', key),
    notOurs: (found) => {
      const d = decideInvoiceAdoption(adoptionView(found, w.check), w.customerQboId, w.expectedTotal);
      return d.action === 'adopt' ? null : d.message;
    },
    commit: (trx, qboId) => markInvoicesTransferred(trx, rc.company.id, [{ invoiceId: w.invoiceId, qboId }], new Date(), rc.books),
  }, w.intent);
  switch (outcome.kind) {
    case 'created':
      await keepQboAmounts(rc, [{ invoiceId: w.invoiceId, entity: outcome.entity }]);
      return reportCreated(rc, w, outcome.entity);
    case 'adopted':
      return rc.record(w.ref, { tally: 'alreadyInQbo', message: `was already in QuickBooks (Id ${outcome.entity.Id}); marked transferred` });
    case 'conflict':
      return failInvoice(rc, w.ref, [outcome.message], outcome.qboCode);
    case 'taken':
    case 'failed':
      return failInvoice(rc, w.ref, [describeQboError(outcome.error)], outcome.error.qboCode);
  }
}

/** `fatal`: not a QBO answer (ReconnectRequiredError, a bug): rethrown once the others are committed. */
type ItemResult = { entity: Invoice } | { error: QboError } | { fatal: Error };

/** Intents for the whole group in one statement, before any call (docs/design.md rule 13). */
async function writeGroupIntents(rc: RunContext, work: readonly InvoiceWork[]): Promise<string[]> {
  const scope = rc.scope;
  const companyId = scope.companyId;
  const intents = work.map((w) => {
    const attempt = nextAttempt(w.intent, w.docNumber);
    return { ...scope, kind: 'invoice' as const, recordId: w.invoiceId, lookupKey: w.docNumber, requestId: writeRequestId(companyId, 'invoice', w.invoiceId, attempt), attempt };
  });
  await writePendingIntents(rc.db.kysely, intents);
  return intents.map((t) => t.requestId);
}

/**
 * Up to 30 invoices in one `POST /batch` (docs/qbo-behaviour.md §7). When the whole call fails after the client's
 * retries, QBO may have applied some items: they are looked up before anything is reported.
 */
export async function createInvoiceBatch(rc: RunContext, work: readonly InvoiceWork[]): Promise<void> {
  const requestIds = await writeGroupIntents(rc, work);
  let results: ItemResult[];
  try {
    const answers = await rc.client.batch(
      work.map((w, i) => ({ bId: `b${i}`, operation: 'create' as const, entity: 'Invoice' as const, body: w.payload })),
      { requestId: batchRequestId(requestIds) },
    );
    results = answers.map((a) => ('error' in a ? { error: a.error } : { entity: ('entity' in a ? a.entity : undefined) as Invoice }));
  } catch (error) {
    if (isAuthFailure(error) || !isQboError(error)) throw error;
    return settleByLookup(rc, work, error);
  }
  const unknown = await settleResults(rc, work, results);
  // Items whose answer was a retryable fault: one lookup for all of them.
  if (unknown.length > 0) await settleByLookup(rc, unknown.map((u) => u.w), null);
}

/** A few invoices as concurrent single creates (the request budget batch calls leave over). */
export async function createInvoicesSingly(rc: RunContext, work: readonly InvoiceWork[]): Promise<void> {
  const requestIds = await writeGroupIntents(rc, work);
  const results = await Promise.all(work.map((w, i) =>
    rc.client.create('Invoice', w.payload, { requestId: requestIds[i] ?? '' }).then(
      (entity): ItemResult => ({ entity }),
      (error: unknown): ItemResult => (isQboError(error) ? { error } : { fatal: error instanceof Error ? error : new Error(String(error)) }),
    )));
  const unknown = await settleResults(rc, work, results);
  // A single create's retryable fault is its own answer: reported with it when QBO has no such invoice.
  for (const u of unknown) await settleByLookup(rc, [u.w], u.error);
}

/**
 * The one classifier of a group's answers, shared by the batch and the single path: created invoices commit
 * together; rejected ones fail; a 6140 is settled by looking the DocNumber up (adopt ours, report others). An
 * authorization failure is rethrown after what did get created is committed. Returns the items whose outcome is
 * still unknown (a retryable fault) for the caller's path to settle.
 */
async function settleResults(rc: RunContext, work: readonly InvoiceWork[], results: readonly ItemResult[]): Promise<Array<{ w: InvoiceWork; error: QboError }>> {
  const created: Array<{ w: InvoiceWork; entity: Invoice }> = [];
  const duplicate: InvoiceWork[] = [];
  const unknown: Array<{ w: InvoiceWork; error: QboError }> = [];
  const rejected: Array<{ w: InvoiceWork; error: QboError }> = [];
  let authError: Error | null = null;
  for (const [i, w] of work.entries()) {
    const r = results[i];
    if (!r) duplicate.push(w);
    else if ('entity' in r) created.push({ w, entity: r.entity });
    else if ('fatal' in r) authError ??= r.fatal;
    else if (isAuthFailure(r.error)) authError ??= r.error;
    else if (r.error.code === 'QBO_DUPLICATE_DOC_NUMBER') duplicate.push(w);
    else if (r.error.retryable) unknown.push({ w, error: r.error });
    else rejected.push({ w, error: r.error });
  }
  if (created.length > 0) {
    await commitInvoices(rc, created.map((c) => c.w), created.map((c) => c.entity.Id));
    await keepQboAmounts(rc, created.map((c) => ({ invoiceId: c.w.invoiceId, entity: c.entity })));
  }
  for (const c of created) reportCreated(rc, c.w, c.entity);
  if (authError) throw authError;
  if (rejected.length > 0) {
    await failIntents(rc.db.kysely, rc.scope, 'invoice', rejected.map((r) => r.w.invoiceId));
    for (const r of rejected) failInvoice(rc, r.w.ref, [describeQboError(r.error)], r.error.qboCode);
  }
  if (duplicate.length > 0) await settleByLookup(rc, duplicate, null);
  return unknown;
}

async function settleByLookup(rc: RunContext, work: readonly InvoiceWork[], callError: QboError | null): Promise<void> {
  const found = await findByKeys(rc.client, 'Invoice', work.map((w) => w.docNumber));
  const adopt: InvoiceWork[] = [];
  const adoptIds: string[] = [];
  const missing: InvoiceWork[] = [];
  for (const w of work) {
    const existing = pick('Invoice', found.get(nameKey(w.docNumber)), w.docNumber);
    if (!existing) {
      missing.push(w);
      continue;
    }
    const d = decideInvoiceAdoption(adoptionView(existing, w.check), w.customerQboId, w.expectedTotal);
    if (d.action === 'adopt') {
      adopt.push(w);
      adoptIds.push(d.qboId);
    } else {
      await failIntents(rc.db.kysely, rc.scope, 'invoice', [w.invoiceId]);
      failInvoice(rc, w.ref, [d.message], '6140');
    }
  }
  if (adopt.length > 0) await commitInvoices(rc, adopt, adoptIds);
  for (const [i, w] of adopt.entries()) {
    rc.record(w.ref, { tally: 'alreadyInQbo', message: `was already in QuickBooks (Id ${adoptIds[i] ?? ''}); marked transferred` });
  }
  if (missing.length === 0) return;
  if (callError === null) {
    // An item QBO answered 6140 or a retryable fault for, yet no invoice has the number: send it alone.
    // Its intent is settled as failed first, so the new call gets a fresh requestid (not a replay of the fault).
    await failIntents(rc.db.kysely, rc.scope, 'invoice', missing.map((w) => w.invoiceId));
    const intents = await getIntents(rc.db.kysely, rc.scope, 'invoice', missing.map((w) => w.invoiceId));
    for (const w of missing) await createInvoiceSingly(rc, { ...w, intent: intents.get(w.invoiceId) });
    return;
  }
  await failIntents(rc.db.kysely, rc.scope, 'invoice', missing.map((w) => w.invoiceId));
  for (const w of missing) failInvoice(rc, w.ref, [describeQboError(callError)], callError.qboCode);
}
