import { setCustomerQboId, listCustomersToExport } from '../store/erp/customers.ts';
import { countCustomersToExport } from '../store/erp/counts.ts';
import type { ExportCustomer as Customer } from '../store/erp/app-types.ts';
import { getIntents } from '../store/runs/intents.ts';
import { recordMatch, runMatchOrAddPhase } from './match-or-add-phase.ts';
import type { ExportIntent } from '../store/runs/tables.ts';
import type { Customer as QboCustomer } from '../qbo/entities.ts';
import { booksKindOf } from './books.ts';
import { customerPayload, decideCustomer, decideNameCollision, type QboCustomerPayload } from './decisions.ts';
import { findByKeys, findOne } from './lookups.ts';
import { describeQboError } from './messages.ts';
import { nameKey, suffixedName } from './names.ts';
import type { PhaseOutcomes } from './outcomes.ts';
import type { RecordRef, RunContext } from './run-context.ts';
import type { Found } from './write-once.ts';
import { holdInDoubt, settleInDoubt } from './in-doubt.ts';

/**
 * Seed: "attempt to add or match … Customers for those Rootstock records that do not have a correspondence in
 * QuickBooks". Qualifying customers (same rule as the Customer Export Qty) are matched by DisplayName or added;
 * the QBO Id is written back to the column the company's QuickBooks Primary Company flag selects.
 */
export async function exportCustomers(rc: RunContext, outcomes: PhaseOutcomes): Promise<void> {
  await runMatchOrAddPhase<Customer>(rc, {
    phase: 'customers',
    kind: 'customer',
    count: () => countCustomersToExport(rc.db.kysely, rc.books),
    page: (afterId, limit) => listCustomersToExport(rc.db.kysely, rc.books, afterId === undefined ? { limit } : { afterId, limit }),
    prepare: async (page) => {
      const inQbo = await findByKeys(rc.client, 'Customer', page.map((c) => c.name));
      // A dry run cannot provoke a 6240, so it looks for vendors and employees holding the page's names instead
      // (once, when the first add is planned).
      let taken: Promise<ReadonlySet<string>> | undefined;
      const takenOnPage = () => (taken ??= namesTakenByOthers(rc, page));
      return (customer, intent) => exportCustomer(rc, outcomes, customer, inQbo.get(nameKey(customer.name)) ?? [], intent, takenOnPage);
    },
  });
  // Invoices need their customers: writes still in doubt are settled before the phase ends.
  await settleInDoubt(rc, 'customer');
}

async function findCustomer(rc: RunContext, key: string): Promise<Found<'Customer'>> {
  const found = await findOne(rc.client, 'Customer', key);
  return found ? { kind: 'ours', entity: found } : { kind: 'none' };
}

/** A customer in another currency than the home one needs multi-currency books (QBO refuses it otherwise). */
async function customerCurrencyProblem(rc: RunContext, customer: Customer): Promise<string | null> {
  if (!customer.currency) return null;
  const books = await booksKindOf(rc.client);
  if (books.multiCurrency || customer.currency === books.homeCurrency) return null;
  return `its currency is ${customer.currency}, but the QuickBooks company keeps its books in ${books.homeCurrency} only (multicurrency is off); turn on multicurrency in QuickBooks (Settings → Advanced → Currency) or clear the customer's currency`;
}

async function namesTakenByOthers(rc: RunContext, page: ReadonlyArray<Pick<Customer, 'name'>>): Promise<Set<string>> {
  const names = page.map((c) => c.name);
  const taken = new Set<string>();
  for (const entity of ['Vendor', 'Employee'] as const) {
    for (const key of (await findByKeys(rc.client, entity, names)).keys()) taken.add(key);
  }
  return taken;
}

async function exportCustomer(
  rc: RunContext,
  outcomes: PhaseOutcomes,
  customer: Customer,
  sameName: readonly QboCustomer[],
  intent: ExportIntent | undefined,
  takenOnPage: () => Promise<ReadonlySet<string>>,
): Promise<void> {
  const ref: RecordRef & { kind: 'customer' } = { kind: 'customer', key: customer.customerNo, name: customer.name };
  const failed = (message: string, qboCode: string | null = null) => {
    outcomes.customers.set(customer.id, { qboId: null, problem: `customer ${customer.customerNo} (${customer.name}) could not be exported: ${message}` });
    rc.record(ref, { tally: 'failed', message, qboCode });
  };
  const decision = decideCustomer(customer, sameName);
  if (decision.action === 'fail') return failed(decision.message);
  if (decision.action === 'match') {
    return recordMatch(rc, ref, customer.id, decision, outcomes.customers, (trx, id) => setCustomerQboId(trx, rc.books, customer.id, id));
  }
  for (const w of decision.warnings) rc.warn(ref, w);
  const currencyProblem = await customerCurrencyProblem(rc, customer);
  if (currencyProblem) return failed(currencyProblem);

  let payload: QboCustomerPayload = decision.payload;
  for (let round = 0; round < 2; round++) {
    const outcome = await rc.writer.add(rc, {
      kind: 'customer',
      recordId: customer.id,
      lookupKey: payload.DisplayName,
      entity: 'Customer',
      payload,
      find: (key) => findCustomer(rc, key),
      takenElsewhere: async () => (await namesTakenByOthers(rc, [{ name: payload.DisplayName }])).size > 0,
      commit: (trx, qboId) => setCustomerQboId(trx, rc.books, customer.id, qboId),
    }, intent);
    if (outcome.kind === 'planned') {
      let message = 'will be added to QuickBooks';
      if ((await takenOnPage()).has(nameKey(customer.name))) {
        const collision = decideNameCollision(rc.settings.nameCollisionPolicy ?? 'report', customer, customer.name);
        if (collision.action === 'fail') return failed(collision.message, '6240');
        message = `will be added: ${collision.message}`;
      }
      outcomes.customers.set(customer.id, { qboId: outcome.standInId });
      rc.record(ref, { tally: 'added', message });
      return;
    }
    if (outcome.kind === 'created' || outcome.kind === 'adopted') {
      const id = outcome.entity.Id;
      outcomes.customers.set(customer.id, { qboId: id });
      rc.record(ref, outcome.kind === 'created'
        ? { tally: 'added', message: `added to QuickBooks as "${payload.DisplayName}" (Id ${id})` }
        : { tally: 'matched', message: `found in QuickBooks as "${outcome.entity.DisplayName ?? payload.DisplayName}" (Id ${id}), from an earlier interrupted export or already there; matched` });
      return;
    }
    if (outcome.kind === 'in-doubt') {
      outcomes.customers.set(customer.id, { qboId: null, problem: `customer ${customer.customerNo} (${customer.name}) is in doubt in QuickBooks (its answer was lost); the invoice is exported once that is settled` });
      holdInDoubt(rc, {
        kind: 'customer', recordId: customer.id, ref, sentAt: outcome.sentAt,
        settle: async () => exportCustomer(rc, outcomes, customer, [], (await getIntents(rc.db.kysely, rc.scope, 'customer', [customer.id])).get(customer.id), takenOnPage),
      });
      return;
    }
    if (outcome.kind === 'failed' || outcome.kind === 'conflict') {
      return outcome.kind === 'failed' ? failed(describeQboError(outcome.error), outcome.error.qboCode) : failed(outcome.message, outcome.qboCode);
    }
    // 6240 and no customer has the name: a vendor or employee does. The company's policy decides.
    const collision = decideNameCollision(rc.settings.nameCollisionPolicy ?? 'report', customer, payload.DisplayName);
    if (collision.action === 'fail') return failed(collision.message, '6240');
    rc.info(ref, collision.message);
    payload = customerPayload(customer, suffixedName(customer.name, customer.customerNo)).payload;
    // The intent of the first attempt is now `failed`; re-read so the next attempt gets a fresh requestid.
    intent = (await getIntents(rc.db.kysely, rc.scope, 'customer', [customer.id])).get(customer.id);
  }
  failed(`the names "${customer.name}" and "${suffixedName(customer.name, customer.customerNo)}" are both already used in QuickBooks (6240); rename the customer in the ERP`, '6240');
}
