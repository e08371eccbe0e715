import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { connectedCompanies } from '../store/sync/connected.ts';
import { getNotification, markNotificationFailed, markNotificationsProcessed, waitingNotifications } from '../store/sync/webhook-inbox.ts';
import { applyInvoiceRecords, readInvoices, readPayments, type SyncScope } from './apply.ts';
import { applyChangesSince, scopeFor, type SweepDeps } from './sweep.ts';
import { qboTimeToIso } from './invoice-status.ts';

/**
 * Intuit's webhooks (docs/qbo-behaviour.md §8.2): `intuit-signature` = base64 HMAC-SHA256 of the raw body with
 * the app's verifier token, compared in constant time. No verifier configured → nothing is accepted.
 */
export function validWebhookSignature(verifier: string | undefined, rawBody: Buffer, header: string | undefined): boolean {
  if (!verifier || !header) return false;
  const expected = createHmac('sha256', verifier).update(rawBody).digest();
  const given = Buffer.from(header, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const entityEvent = z.looseObject({ name: z.string(), id: z.string(), operation: z.string(), lastUpdated: z.string().optional() });
const notificationSchema = z.looseObject({
  eventNotifications: z.array(z.looseObject({ realmId: z.string(), dataChangeEvent: z.looseObject({ entities: z.array(entityEvent) }).optional() })),
});

export type EntityEvent = z.infer<typeof entityEvent>;
export interface RealmEvents {
  realmId: string;
  entities: EntityEvent[];
}

/** The realms and entity events of a stored delivery; a body of another shape is an error for the inbox row. */
export function parseNotification(body: string): RealmEvents[] {
  const parsed = notificationSchema.parse(JSON.parse(body));
  return parsed.eventNotifications.map((n) => ({ realmId: n.realmId, entities: n.dataChangeEvent?.entities ?? [] }));
}

/** A deleted or voided payment cannot say which invoices it paid: their balances moved, so CDC finds them. */
const LOOK_BACK_MS = 2 * 60_000;

/**
 * What one realm's events mean for one company: invoices are read as they are now (so duplicates and events
 * out of order change nothing); payments are read for the invoices they pay and their dates. Reads go by id, up
 * to 200 per query, so a burst of a thousand payments costs the app's request budget a handful of calls.
 */
export async function applyRealmEvents(scope: SyncScope, events: readonly EntityEvent[]): Promise<number> {
  const invoiceIds = events.filter((e) => e.name === 'Invoice').map((e) => e.id);
  let changes = 0;
  const paymentDates = new Map<string, string>();
  let earliestLostPayment: Date | undefined;
  const paymentEvents = events.filter((ev) => ev.name === 'Payment');
  const payments = await readPayments(scope, paymentEvents.map((e) => e.id));
  for (const e of paymentEvents) {
    const payment = payments.get(e.id);
    // A deleted payment is not found; an updated or voided one may no longer pay the invoices it paid.
    if (!payment || e.operation !== 'Create') earliestLostPayment = earlier(earliestLostPayment, e.lastUpdated);
    if (!payment) continue;
    if (payment.TxnDate) paymentDates.set(payment.Id, payment.TxnDate);
    for (const line of payment.Line ?? []) for (const l of line.LinkedTxn ?? []) if (l.TxnType === 'Invoice') invoiceIds.push(l.TxnId);
  }
  if (invoiceIds.length > 0) changes += await applyInvoiceRecords(scope, await readInvoices(scope, invoiceIds), paymentDates);
  // An updated, voided or deleted payment may have left invoices it no longer pays: find them by their change.
  if (earliestLostPayment) changes += (await applyChangesSince(scope, earliestLostPayment)).changes;
  return changes;
}

function earlier(current: Date | undefined, lastUpdated: string | undefined): Date {
  const at = new Date(Date.parse(qboTimeToIso(lastUpdated, new Date())) - LOOK_BACK_MS);
  return current === undefined || at < current ? at : current;
}

/** Notifications read together by one job: a burst of deliveries becomes a few batched reads. */
const DRAIN = 200;

/**
 * Processes a stored notification together with every other one still waiting (up to DRAIN): their events are
 * merged per realm and applied for every company connected to it. All are marked processed only when all went
 * through (a failure leaves them for the next try: at least once). Returns the states changed.
 */
export async function processNotification(deps: SweepDeps, inboxId: number): Promise<number> {
  const db = deps.db.kysely;
  const row = await getNotification(db, inboxId);
  if (!row || row.processed_at !== null) return 0;
  const byRealm = new Map<string, EntityEvent[]>();
  const taken: number[] = [];
  for (const stored of [row, ...(await waitingNotifications(db, DRAIN)).filter((r) => r.id !== inboxId)]) {
    let realms: RealmEvents[];
    try {
      realms = parseNotification(stored.body);
    } catch (error) {
      // One delivery of another shape must not hold up the others: it stays unprocessed, with its error.
      await markNotificationFailed(db, stored.id, (error as Error).message);
      if (stored.id === inboxId) throw error;
      continue;
    }
    taken.push(stored.id);
    for (const realm of realms) {
      const events = byRealm.get(realm.realmId) ?? [];
      events.push(...realm.entities);
      byRealm.set(realm.realmId, events);
    }
  }
  try {
    let changes = 0;
    for (const [realmId, events] of byRealm) {
      for (const company of await connectedCompanies(db, realmId)) {
        changes += await applyRealmEvents(await scopeFor(deps, company.companyId, company.code), events);
      }
    }
    await markNotificationsProcessed(db, taken);
    return changes;
  } catch (error) {
    await markNotificationFailed(db, inboxId, (error as Error).message);
    throw error;
  }
}
