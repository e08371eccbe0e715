import { countCreditMemosToExport, listCreditMemosToExport, markCreditMemoTransferred, type CreditMemoWithLines } from '../../store/credit-memos/repository.ts';
import { getIntents } from '../../store/runs/intents.ts';
import type { ExportIntent } from '../../store/runs/tables.ts';
import { InvoicePhaseState, customerForDocument, loadItems } from '../invoice-prepare.ts';
import { findByKeys } from '../lookups.ts';
import { nameKey } from '../names.ts';
import { holdInDoubt, settleInDoubt } from '../in-doubt.ts';
import { judgeInvoice } from '../invoice-writer.ts';
import { intentMarker } from '../provenance.ts';
import { describeQboError } from '../messages.ts';
import type { PhaseOutcomes } from '../outcomes.ts';
import { forEachConcurrent, type RecordRef, type RunContext } from '../run-context.ts';
import { predictApplication } from './apply.ts';
import { asInvoiceView, asMemoText, mapCreditMemo, type QboCreditMemoPayload } from './mapping.ts';
import { booksKindOf, type BooksKind } from '../books.ts';
import { customerCurrencies } from '../customer-currency.ts';
import { checkCreatedTotals } from '../invoice-totals.ts';
import type { Found } from '../write-once.ts';

/** Credit memos read at a time; a company has far fewer of them than invoices. */
const PAGE = 100;
/** Memos created at once (single creates: the request budget is the invoices' leftover by now). */
const CONCURRENT = 4;

type MemoRef = RecordRef & { kind: 'credit-memo' };

/** Counts one credit memo as failed, with each problem as its own message. */
export function failCreditMemo(rc: RunContext, ref: MemoRef, problems: readonly string[], qboCode: string | null = null): void {
  const [first = 'could not be exported', ...more] = problems;
  rc.record(ref, { tally: 'failed', message: first, qboCode });
  for (const p of more) rc.fail(ref, p, qboCode);
}

/** Whether the memo's credit is to be applied once it is in QBO (setting applyCreditMemos, default on). */
export function wantsApplication(rc: RunContext, source: CreditMemoWithLines): boolean {
  return source.appliesTo !== null && rc.settings.applyCreditMemos !== false;
}

/**
 * Issue 16: after the invoices, each qualifying credit memo (approved, not transferred, this company) becomes a QBO
 * CreditMemo, DocNumber = memoNo, mapped as invoices are, created exactly once through the invoices' write path
 * (`writeOnce`: intent before the call, stable requestid, reconcile a pending intent by DocNumber, adopt ours on
 * 6140), then marked transferred with its QBO id. Every memo gets its line in the run's Process Log entry.
 */
export async function createCreditMemos(rc: RunContext, outcomes: PhaseOutcomes): Promise<void> {
  const total = await countCreditMemosToExport(rc.db.kysely, rc.company.id);
  rc.progress('credit-memos', 0, total, true);
  if (total === 0) return;
  const state = new InvoicePhaseState({
    freightItem: rc.settings.freightItem,
    handlingItem: rc.settings.handlingItem,
    packagingItem: rc.settings.packagingItem,
    passOrderDiscount: rc.settings.passOrderDiscount ?? false,
  });
  let done = 0;
  for (let afterId: number | undefined; !rc.stopped; ) {
    const page = await listCreditMemosToExport(rc.db.kysely, rc.company.id, afterId === undefined ? { limit: PAGE } : { afterId, limit: PAGE }, rc.books);
    if (page.length === 0) break;
    afterId = page[page.length - 1]?.memo.id;
    await loadItems(rc, state, outcomes, page.map(asInvoiceView));
    const books = await booksKindOf(rc.client);
    const currencies = await customerCurrencies(rc, books, page.map((m) => m.customerQboId ?? ''));
    const intents = await rc.writer.intents(rc, 'credit-memo', page.map((m) => m.memo.id));
    await forEachConcurrent(rc, page, CONCURRENT, async (source) => {
      await createOne(rc, state, outcomes, source, intents.get(source.memo.id), { books, currencies });
      rc.progress('credit-memos', ++done, total);
    });
    await rc.maybeFlush();
  }
  await settleInDoubt(rc, 'credit-memo');
  rc.progress('credit-memos', done, total, true);
}

/** The QuickBooks books' kind (country, currencies, tax codes) and the customers' currencies there, read per page. */
interface BooksView {
  books: BooksKind;
  currencies: ReadonlyMap<string, string>;
}

async function createOne(
  rc: RunContext, state: InvoicePhaseState, outcomes: PhaseOutcomes, source: CreditMemoWithLines, intent: ExportIntent | undefined, { books, currencies }: BooksView,
): Promise<void> {
  const ref: MemoRef = { kind: 'credit-memo', key: source.memo.memoNo };
  const { qboCustomer, customerProblem } = customerForDocument(rc, outcomes, source.customer, source.customerQboId);
  const view = rc.writer.withProducts(source, outcomes);
  const mapped = mapCreditMemo(
    view,
    { customerQboId: qboCustomer, customerProblem, itemsByName: state.items, headerCharges: state.headerCharges },
    { books, settings: rc.settings, customerCurrency: qboCustomer ? currencies.get(qboCustomer) : undefined },
  );
  for (const w of mapped.warnings) rc.warn(ref, w);
  if (!mapped.ok || qboCustomer === null) return failCreditMemo(rc, ref, mapped.ok ? [] : mapped.problems);
  // The same provenance as invoices (issue 13): our marker in PrivateNote recognises our memo whatever its amounts.
  const marker = intentMarker(rc.company.code, 'credit-memo', source.memo.id);
  const wanted = { marker, customerQboId: qboCustomer, expectedTotal: mapped.expectedTotal, check: mapped.check, noun: 'credit memo' as const };
  const find = async (key: string, how: { duplicateAnswer: boolean; conclusive: boolean }): Promise<Found<'CreditMemo'>> =>
    judgeInvoice<'CreditMemo'>((await findByKeys(rc.client, 'CreditMemo', [key])).get(nameKey(key)), wanted, key, how);
  const application = wantsApplication(rc, source) ? 'pending' : 'none';
  const written = await rc.writer.add(rc, {
    kind: 'credit-memo',
    recordId: source.memo.id,
    lookupKey: mapped.payload.DocNumber,
    entity: 'CreditMemo',
    payload: { ...mapped.payload, PrivateNote: marker },
    find,
    commit: async (trx, qboId) => {
      await markCreditMemoTransferred(trx, source.memo.id, qboId, application, new Date(), rc.books);
    },
  }, intent);
  switch (written.kind) {
    case 'planned':
      return planCreate(rc, ref, source, mapped.payload, mapped.expectedTotal, find);
    case 'created': {
      // QuickBooks' totals must be what the sales-tax mode promises, as for invoices (invoice-totals.ts).
      const verdict = checkCreatedTotals(written.entity, mapped.expectedTotal, mapped.check);
      return rc.record(ref, verdict.ok ? { tally: 'created', message: asMemoText(verdict.message) } : { tally: 'created', level: 'error', message: asMemoText(verdict.message) });
    }
    case 'adopted':
      rc.record(ref, { tally: 'alreadyInQbo', message: `was already in QuickBooks (Id ${written.entity.Id}), created by this export earlier (an interrupted run, or an answer that was lost); marked transferred` });
      if (written.note) rc.warn(ref, written.note);
      return;
    case 'conflict':
      return failCreditMemo(rc, ref, [written.message], written.qboCode);
    case 'in-doubt':
      return holdInDoubt(rc, {
        kind: 'credit-memo', recordId: source.memo.id, ref, sentAt: written.sentAt,
        settle: async () => createOne(rc, state, outcomes, source, (await getIntents(rc.db.kysely, rc.scope, 'credit-memo', [source.memo.id])).get(source.memo.id), { books, currencies }),
      });
    case 'taken':
    case 'failed':
      return failCreditMemo(rc, ref, [describeQboError(written.error)], written.error.qboCode);
  }
}

/** A dry run reads QBO for the DocNumber and says what the real run would do, application included. */
async function planCreate(
  rc: RunContext, ref: MemoRef, source: CreditMemoWithLines, payload: QboCreditMemoPayload, expectedTotal: string,
  find: (key: string, how: { duplicateAnswer: boolean; conclusive: boolean }) => Promise<Found<'CreditMemo'>>,
): Promise<void> {
  const found = await find(payload.DocNumber, { duplicateAnswer: false, conclusive: true });
  if (found.kind === 'conflict') return failCreditMemo(rc, ref, [found.message], found.qboCode);
  if (found.kind === 'ours') {
    rc.record(ref, { tally: 'alreadyInQbo', message: `is already in QuickBooks (Id ${found.entity.Id}); will be marked transferred` });
  } else {
    rc.record(ref, { tally: 'created', message: `will be created in QuickBooks (total ${expectedTotal})` });
  }
  if (wantsApplication(rc, source)) await predictApplication(rc, ref, source, found.kind === 'ours' ? (found.entity.RemainingCredit ?? expectedTotal) : expectedTotal);
}
