import type { EntityOf, Invoice } from '../qbo/entities.ts';
import { isQboError, type QboError } from '../qbo/errors.ts';
import { markInvoicesTransferred } from '../store/erp/invoices.ts';
import { getIntents, markSentAt, writePendingIntents, type PendingIntent } from '../store/runs/intents.ts';
import { commitTransferredInvoices } from '../store/runs/commit.ts';
import { beforeSending, failIntentsFenced, fencedTransaction } from './fence.ts';
import { holdInDoubt } from './in-doubt.ts';
import { failInvoice, type InvoiceWork } from './invoice-prepare.ts';
import { adoptionView, checkCreatedTotals, keepQboAmounts } from './invoice-totals.ts';
import { sameMoney } from './invoice-mapping.ts';
import { findByKeys } from './lookups.ts';
import { describeQboError } from './messages.ts';
import { nameKey } from './names.ts';
import { decideInvoiceAdoption, type WantedInvoice } from './provenance.ts';
import { batchRequestId, writeRequestId } from './request-id.ts';
import type { RunContext } from './run-context.ts';
import { isAuthFailure, nextAttempt, outcomeUnknown, writeOnce, type Found } from './write-once.ts';

/**
 * Stores QBO ids for invoices created or adopted: in ONE transaction, fenced by the run's lease, each invoice is
 * marked transferred with its QBO id and its intent is marked done (docs/design.md rule 13).
 */
export async function commitInvoices(rc: RunContext, work: readonly InvoiceWork[], qboIds: readonly string[]): Promise<void> {
  const at = new Date();
  const done = work.map((w, i) => ({ recordId: w.invoiceId, qboId: qboIds[i] as string }));
  await rc.db.kysely.transaction().execute((trx) => commitTransferredInvoices(trx, rc.fence, rc.scope, done, at));
}

/** After a create: QBO's totals must be what the sales-tax mode promises (invoice-totals.ts), else reported. */
function reportCreated(rc: RunContext, w: InvoiceWork, created: Invoice): void {
  const verdict = checkCreatedTotals(created, w.expectedTotal, w.check);
  rc.record(w.ref, verdict.ok ? { tally: 'created', message: verdict.message } : { tally: 'created', level: 'error', message: verdict.message });
}

/**
 * An invoice of ours found in QuickBooks (by its provenance marker): adopted whatever its amounts; a total that
 * differs from the ERP's now (QuickBooks' own tax, an ERP edit after the send) is said, not held against it.
 */
export function reportAdopted(rc: RunContext, w: InvoiceWork, found: Invoice, note: string | undefined): void {
  rc.record(w.ref, { tally: 'alreadyInQbo', message: `was already in QuickBooks (Id ${found.Id}), created by this export earlier (an interrupted run, or an answer that was lost); marked transferred` });
  const total = adoptionView(found, w.check).TotalAmt;
  if (!sameMoney(total, w.expectedTotal)) {
    rc.warn(w.ref, `QuickBooks' invoice (Id ${found.Id}) has a total of ${found.TotalAmt ?? '?'}${w.check?.mode === 'qbo' ? ` (${total ?? '?'} before its tax)` : ''}, the ERP invoice ${w.expectedTotal} now (the ERP invoice changed after it was sent, or QuickBooks changed its amounts): check the invoice in QuickBooks`);
  }
  if (note) rc.warn(w.ref, note);
}

/**
 * What QBO's invoices under `key` mean for this work (provenance.ts). `duplicateAnswer`: QBO said 6140; an invoice
 * whose number differs only in case then explains it (QBO compares numbers without case), a conflict to report.
 * `conclusive`: our write can no longer appear (refused, or its in-doubt window closed); until then another
 * record's invoice under our number proves nothing (QuickBooks may accept duplicate numbers) and counts as none.
 */
export function judgeInvoice<E extends 'Invoice' | 'CreditMemo' = 'Invoice'>(
  rows: readonly EntityOf<E>[] | undefined, w: Omit<WantedInvoice, 'docNumber'>, key: string, how: { duplicateAnswer: boolean; conclusive: boolean },
): Found<E> {
  const { duplicateAnswer, conclusive } = how;
  const n = w.noun ?? 'invoice';
  const d = decideInvoiceAdoption(rows ?? [], { ...w, docNumber: key });
  switch (d.action) {
    case 'adopt':
      return { kind: 'ours', entity: (rows ?? []).find((r) => r.Id === d.qboId) as EntityOf<E>, note: d.note };
    case 'not-ours':
      return conclusive ? { kind: 'conflict', message: d.message, qboCode: '6140' } : { kind: 'none' };
    case 'voided':
      return { kind: 'conflict', message: d.message, qboCode: null, keepPending: true };
    case 'missing': {
      const caseOnly = duplicateAnswer ? (rows ?? []).find((r) => r.DocNumber !== key) : undefined;
      return caseOnly
        ? { kind: 'conflict', qboCode: '6140', message: `QuickBooks has ${n} number ${caseOnly.DocNumber ?? ''} (Id ${caseOnly.Id}), which differs from ${key} only in case, and refuses a second one (6140: it compares numbers without case); renumber one of them` }
        : { kind: 'none' };
    }
  }
}

async function findInvoice(rc: RunContext, w: InvoiceWork, key: string, how: { duplicateAnswer: boolean; conclusive: boolean }): Promise<Found<'Invoice'>> {
  return judgeInvoice<'Invoice'>((await findByKeys(rc.client, 'Invoice', [key])).get(nameKey(key)), w, key, how);
}

/** Holds an invoice in doubt; settling it goes through the single-create path, which looks it up first. */
export function holdInvoice(rc: RunContext, w: InvoiceWork, sentAt: number): void {
  holdInDoubt(rc, {
    kind: 'invoice', recordId: w.invoiceId, ref: w.ref, sentAt,
    settle: async () => createInvoiceSingly(rc, { ...w, intent: (await getIntents(rc.db.kysely, rc.scope, 'invoice', [w.invoiceId])).get(w.invoiceId) }),
  });
}

/** One invoice through writeOnce (an in-doubt invoice being settled). */
export async function createInvoiceSingly(rc: RunContext, w: InvoiceWork): Promise<void> {
  const outcome = await writeOnce(rc, {
    kind: 'invoice',
    recordId: w.invoiceId,
    lookupKey: w.docNumber,
    entity: 'Invoice',
    payload: w.payload,
    find: (key, how) => findInvoice(rc, w, key, how),
    commit: (trx, qboId) => markInvoicesTransferred(trx, rc.company.id, [{ invoiceId: w.invoiceId, qboId }], new Date(), rc.books),
  }, w.intent);
  switch (outcome.kind) {
    case 'created':
      await keepQboAmounts(rc, [{ invoiceId: w.invoiceId, entity: outcome.entity }]);
      return reportCreated(rc, w, outcome.entity);
    case 'adopted':
      await keepQboAmounts(rc, [{ invoiceId: w.invoiceId, entity: outcome.entity }]);
      return reportAdopted(rc, w, outcome.entity, outcome.note);
    case 'conflict':
      return failInvoice(rc, w.ref, [outcome.message], outcome.qboCode);
    case 'in-doubt':
      return holdInvoice(rc, w, outcome.sentAt);
    case 'taken':
    case 'failed':
      return failInvoice(rc, w.ref, [describeQboError(outcome.error)], outcome.error.qboCode);
  }
}

/** `fatal`: not a QBO answer (ReconnectRequiredError, a bug): rethrown once the others are committed. */
type ItemResult = { entity: Invoice } | { error: QboError } | { fatal: Error };

/** Each invoice's next intent, with the requestid of its own single create (issue 13). */
function singleIntents(rc: RunContext, work: readonly InvoiceWork[]): PendingIntent[] {
  const scope = rc.scope;
  return work.map((w): PendingIntent => {
    const attempt = nextAttempt(w.intent, w.docNumber);
    return { ...scope, kind: 'invoice', recordId: w.invoiceId, lookupKey: w.docNumber, requestId: writeRequestId(scope.companyId, 'invoice', w.invoiceId, attempt), attempt };
  });
}

/** The same intents sent as one batch: the requestid QBO sees is the batch's, each item known by its bId. */
function asBatch(intents: readonly PendingIntent[]): PendingIntent[] {
  const batchId = batchRequestId(intents.map((t) => t.requestId));
  return intents.map((t, i) => ({ ...t, requestId: batchId, batchItemId: `b${i}` }));
}

/** Intents for the whole group in one fenced statement, before any call (docs/design.md rule 13). */
async function writeGroupIntents(rc: RunContext, intents: PendingIntent[]): Promise<PendingIntent[]> {
  await fencedTransaction(rc.db, rc.fence, (trx) => writePendingIntents(trx, intents));
  return intents;
}

/**
 * Up to 30 invoices in one `POST /batch` (docs/qbo-behaviour.md §7). When the whole call fails without an answer,
 * QBO may have applied any item: they are looked up, and what shows nothing is held in doubt.
 */
export async function createInvoiceBatch(rc: RunContext, work: readonly InvoiceWork[]): Promise<void> {
  const intents = await writeGroupIntents(rc, asBatch(singleIntents(rc, work)));
  let results: ItemResult[];
  try {
    const answers = await rc.client.batch(
      work.map((w, i) => ({ bId: intents[i]?.batchItemId ?? `b${i}`, operation: 'create' as const, entity: 'Invoice' as const, body: w.payload })),
      { requestId: intents[0]?.requestId ?? '', beforeSend: beforeSending(rc, 'invoice', work.map((w) => w.invoiceId)) },
    );
    results = answers.map((a) => ('error' in a ? { error: a.error } : { entity: ('entity' in a ? a.entity : undefined) as Invoice }));
  } catch (error) {
    if (isAuthFailure(error) || !isQboError(error)) throw error;
    if (outcomeUnknown(error)) return settleByLookup(rc, work);
    // QBO refused the whole call before acting on it (e.g. throttled beyond the retries): nothing was created.
    await failIntentsFenced(rc, 'invoice', work.map((w) => w.invoiceId));
    for (const w of work) failInvoice(rc, w.ref, [describeQboError(error)], error.qboCode);
    return;
  }
  await settleResults(rc, work, results);
}

/** A few invoices as concurrent single creates (the request budget batch calls leave over). */
export async function createInvoicesSingly(rc: RunContext, work: readonly InvoiceWork[]): Promise<void> {
  const intents = await writeGroupIntents(rc, singleIntents(rc, work));
  const results = await Promise.all(work.map((w, i) =>
    rc.client.create('Invoice', w.payload, { requestId: intents[i]?.requestId ?? '', beforeSend: beforeSending(rc, 'invoice', [w.invoiceId]) }).then(
      (entity): ItemResult => ({ entity }),
      (error: unknown): ItemResult => (isQboError(error) ? { error } : { fatal: error instanceof Error ? error : new Error(String(error)) }),
    )));
  await settleResults(rc, work, results);
}

/**
 * The one classifier of a group's answers, shared by the batch and the single path: created invoices commit
 * together; rejected ones fail; a 6140 or an unknown outcome (a 5xx, no answer, an item missing from the answer)
 * is settled by one look-up of the DocNumbers. An authorization failure is rethrown after what did get created is
 * committed.
 */
async function settleResults(rc: RunContext, work: readonly InvoiceWork[], results: readonly ItemResult[]): Promise<void> {
  const created: Array<{ w: InvoiceWork; entity: Invoice }> = [];
  const toLookUp: InvoiceWork[] = [];
  const duplicates = new Set<number>();
  const rejected: Array<{ w: InvoiceWork; error: QboError }> = [];
  let authError: Error | null = null;
  for (const [i, w] of work.entries()) {
    const r = results[i];
    if (!r) toLookUp.push(w);
    else if ('entity' in r) created.push({ w, entity: r.entity });
    else if ('fatal' in r) authError ??= r.fatal;
    else if (isAuthFailure(r.error)) authError ??= r.error;
    else if (r.error.code === 'QBO_DUPLICATE_DOC_NUMBER' || outcomeUnknown(r.error)) {
      toLookUp.push(w);
      if (r.error.code === 'QBO_DUPLICATE_DOC_NUMBER') duplicates.add(w.invoiceId);
    }
    else rejected.push({ w, error: r.error });
  }
  if (created.length > 0) {
    await commitInvoices(rc, created.map((c) => c.w), created.map((c) => c.entity.Id));
    await keepQboAmounts(rc, created.map((c) => ({ invoiceId: c.w.invoiceId, entity: c.entity })));
  }
  for (const c of created) reportCreated(rc, c.w, c.entity);
  if (authError) throw authError;
  if (rejected.length > 0) {
    await failIntentsFenced(rc, 'invoice', rejected.map((r) => r.w.invoiceId));
    for (const r of rejected) failInvoice(rc, r.w.ref, [describeQboError(r.error)], r.error.qboCode);
  }
  if (toLookUp.length > 0) await settleByLookup(rc, toLookUp, duplicates);
}

/**
 * Writes whose outcome is unknown, or that QBO called duplicates: one `DocNumber IN (…)` look-up. Ours are adopted,
 * others' reported, and what shows nothing is held in doubt — QBO may still be committing it (in-doubt.ts).
 */
async function settleByLookup(rc: RunContext, work: readonly InvoiceWork[], duplicates: ReadonlySet<number> = new Set()): Promise<void> {
  const seenAt = new Date();
  await markSentAt(rc.db.kysely, rc.scope, 'invoice', work.map((w) => w.invoiceId), seenAt);
  const found = await findByKeys(rc.client, 'Invoice', work.map((w) => w.docNumber));
  const adopt: Array<{ w: InvoiceWork; entity: Invoice; note: string | undefined }> = [];
  for (const w of work) {
    const duplicate = duplicates.has(w.invoiceId);
    const judged = judgeInvoice(found.get(nameKey(w.docNumber)), w, w.docNumber, { duplicateAnswer: duplicate, conclusive: duplicate });
    if (judged.kind === 'ours') adopt.push({ w, entity: judged.entity, note: judged.note });
    // Nothing of ours shows (a 6140 whose invoice does not show yet: QBO's queries lag): held in doubt below.
    else if (judged.kind === 'conflict') {
      if (!judged.keepPending) await failIntentsFenced(rc, 'invoice', [w.invoiceId]);
      failInvoice(rc, w.ref, [judged.message], judged.qboCode);
    } else holdInvoice(rc, w, seenAt.getTime());
  }
  if (adopt.length === 0) return;
  await commitInvoices(rc, adopt.map((a) => a.w), adopt.map((a) => a.entity.Id));
  await keepQboAmounts(rc, adopt.map((a) => ({ invoiceId: a.w.invoiceId, entity: a.entity })));
  for (const a of adopt) reportAdopted(rc, a.w, a.entity, a.note);
}
