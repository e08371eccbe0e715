import type { Invoice } from '../qbo/entities.ts';
import type { InvoiceWithLines } from '../store/erp/invoices.ts';
import type { ExportCustomer as Customer } from '../store/erp/app-types.ts';
import { failIntentsFenced } from './fence.ts';
import type { ExportIntent } from '../store/runs/tables.ts';
import { booksKindOf } from './books.ts';
import { customerCurrencies } from './customer-currency.ts';
import { applyTaxAndCurrency, type TotalCheck } from './invoice-tax.ts';
import { expectedTotalOf, keepQboAmounts } from './invoice-totals.ts';
import { sentAtOf } from './in-doubt.ts';
import { holdInvoice, judgeInvoice, reportAdopted } from './invoice-writer.ts';
import { intentMarker } from './provenance.ts';
import { itemNamesNeeded, mapInvoice, type HeaderChargeSetup, type ItemRefInfo, type QboInvoicePayload } from './invoice-mapping.ts';
import { findByKeys, pick } from './lookups.ts';
import { nameKey } from './names.ts';
import type { PhaseOutcomes } from './outcomes.ts';
import type { RecordRef, RunContext } from './run-context.ts';

/** An invoice ready to be created in QBO. */
export interface InvoiceWork {
  ref: RecordRef & { kind: 'invoice' };
  invoiceId: number;
  docNumber: string;
  customerQboId: string;
  payload: QboInvoicePayload;
  expectedTotal: string;
  /** What the total check after the create compares (sales tax mode, currency). */
  check?: TotalCheck | undefined;
  /** Our provenance marker (provenance.ts), also in `payload.PrivateNote`. */
  marker: string;
  intent: ExportIntent | undefined;
}

/** Per-run caches of the invoice phase: QBO items by name are looked up once per name per run. */
export class InvoicePhaseState {
  readonly items = new Map<string, ItemRefInfo | null>();
  constructor(readonly headerCharges: HeaderChargeSetup) {}
}

/** Counts one invoice as failed, with each problem as its own message. */
export function failInvoice(rc: RunContext, ref: RecordRef & { kind: 'invoice' }, problems: readonly string[], qboCode: string | null = null): void {
  const [first = 'could not be exported', ...more] = problems;
  rc.record(ref, { tally: 'failed', message: first, qboCode });
  for (const p of more) rc.fail(ref, p, qboCode);
}

/**
 * Looks up (once per run) the QBO Items the page's line charges and header charges name; in a dry run, an item the
 * product phase plans to add counts as there, as it will be for the real run.
 */
export async function loadItems(rc: RunContext, state: InvoicePhaseState, outcomes: PhaseOutcomes, page: readonly InvoiceWithLines[]): Promise<void> {
  const wanted = new Set<string>();
  for (const inv of page) for (const name of itemNamesNeeded(inv, state.headerCharges)) if (!state.items.has(nameKey(name))) wanted.add(name);
  if (wanted.size === 0) return;
  const found = await findByKeys(rc.client, 'Item', wanted);
  for (const name of wanted) {
    const item = pick('Item', found.get(nameKey(name)), name);
    const planned = outcomes.plannedItems.get(nameKey(name));
    state.items.set(nameKey(name), item
      ? { id: item.Id, name: item.Name, active: item.Active !== false, category: item.Type === 'Category' }
      : planned ? { id: planned, name, active: true, category: false } : null);
  }
}

/**
 * The QBO customer of an invoice or credit memo: its Id stored in the run's books (`stored`, read per realm with the
 * document; in a dry run, the one the customer phase plans), or why it has none.
 */
export function customerForDocument(
  rc: RunContext, outcomes: PhaseOutcomes, customer: Customer, stored: string | null,
): { qboCustomer: string | null; customerProblem: string | undefined } {
  const outcome = outcomes.customers.get(customer.id);
  const qboCustomer = rc.writer.refersTo(stored, outcome);
  const customerProblem = outcome?.problem ??
    (!customer.active ? `customer ${customer.customerNo} (${customer.name}) is inactive in the ERP, so it is not exported; make it active` : undefined);
  return { qboCustomer, customerProblem };
}

/**
 * Maps a page of invoices and settles those that need no create: mapping failures are reported, and invoices
 * whose earlier create may have reached QBO (a pending intent) are looked up by DocNumber and adopted when they
 * are ours. Returns the invoices still to create (the run's writer sends them, or in a dry run plans them).
 */
export async function prepareInvoices(
  rc: RunContext,
  state: InvoicePhaseState,
  outcomes: PhaseOutcomes,
  page: readonly InvoiceWithLines[],
  adopt: (work: readonly InvoiceWork[], qboIds: readonly string[]) => Promise<void>,
): Promise<{ toCreate: InvoiceWork[]; settled: number }> {
  await loadItems(rc, state, outcomes, page);
  const books = await booksKindOf(rc.client);
  const currencies = await customerCurrencies(rc, books, page.map((i) => i.customerQboId ?? ''));
  const intents = await rc.writer.intents(rc, 'invoice', page.map((i) => i.invoice.id));
  const ready: InvoiceWork[] = [];
  let settled = 0;
  for (const source of page) {
    const ref: RecordRef & { kind: 'invoice' } = { kind: 'invoice', key: source.invoice.invoiceNo };
    const { qboCustomer, customerProblem } = customerForDocument(rc, outcomes, source.customer, source.customerQboId);
    const mapped = mapInvoice(rc.writer.withProducts(source, outcomes), {
      customerQboId: qboCustomer, customerProblem, itemsByName: state.items, headerCharges: state.headerCharges,
    });
    for (const w of mapped.warnings) rc.warn(ref, w);
    const taxed = mapped.ok
      ? applyTaxAndCurrency(mapped.payload, mapped.expectedTotal, source, { books, settings: rc.settings, customerCurrency: qboCustomer ? currencies.get(qboCustomer) : undefined })
      : undefined;
    if (!mapped.ok || !taxed?.ok || qboCustomer === null) {
      failInvoice(rc, ref, [...(mapped.ok ? [] : mapped.problems), ...(taxed && !taxed.ok ? taxed.problems : [])]);
      settled++;
      continue;
    }
    const marker = intentMarker(rc.company.code, 'invoice', source.invoice.id);
    ready.push({
      ref, invoiceId: source.invoice.id, docNumber: source.invoice.invoiceNo, customerQboId: qboCustomer,
      payload: { ...taxed.payload, PrivateNote: marker }, expectedTotal: expectedTotalOf(taxed.check), check: taxed.check, marker, intent: intents.get(source.invoice.id),
    });
  }

  // Looked up in QBO: those a previous run may have created.
  const toCheck = ready.filter((w) => w.intent?.state === 'pending');
  if (toCheck.length === 0) return { toCreate: ready, settled };
  const lookupStartedAt = Date.now();
  const windowClosed = (w: InvoiceWork) => !w.intent || rc.inDoubt.windowClosed(sentAtOf(w.intent), lookupStartedAt);
  const found = await findByKeys(rc.client, 'Invoice', toCheck.map((w) => w.intent?.lookupKey ?? w.docNumber));
  const adopted: Array<{ w: InvoiceWork; entity: Invoice; note: string | undefined }> = [];
  const settledIds = new Set<number>();
  for (const w of toCheck) {
    const key = w.intent?.lookupKey ?? w.docNumber;
    const judged = judgeInvoice(found.get(nameKey(key)), w, key, { duplicateAnswer: false, conclusive: windowClosed(w) });
    if (judged.kind === 'none') {
      // A write of an earlier run that QBO may still apply: not sent again until its window has closed.
      if (w.intent && !windowClosed(w)) {
        settledIds.add(w.invoiceId);
        settled++;
        holdInvoice(rc, w, sentAtOf(w.intent));
      }
      continue;
    }
    settledIds.add(w.invoiceId);
    settled++;
    if (judged.kind === 'conflict') {
      if (w.intent && !judged.keepPending) await failIntentsFenced(rc, 'invoice', [w.invoiceId]);
      failInvoice(rc, w.ref, [judged.message], judged.qboCode);
      continue;
    }
    adopted.push({ w, entity: judged.entity, note: judged.note });
  }
  if (adopted.length > 0) {
    await adopt(adopted.map((a) => a.w), adopted.map((a) => a.entity.Id));
    await keepQboAmounts(rc, adopted.map((a) => ({ invoiceId: a.w.invoiceId, entity: a.entity })));
    for (const a of adopted) reportAdopted(rc, a.w, a.entity, a.note);
  }
  return { toCreate: ready.filter((w) => !settledIds.has(w.invoiceId)), settled };
}

