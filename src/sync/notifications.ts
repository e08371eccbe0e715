import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { connectedCompanies } from '../store/sync/connected.ts';
import { getNotification, markNotificationFailed, markNotificationProcessed } from '../store/sync/webhook-inbox.ts';
import { QboNotFoundError } from '../qbo/index.ts';
import { applyInvoiceRecords, readInvoices, type SyncScope } from './apply.ts';
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
 * out of order change nothing); a payment is read for the invoices it pays and its date.
 */
export async function applyRealmEvents(scope: SyncScope, events: readonly EntityEvent[]): Promise<number> {
  const invoiceIds = events.filter((e) => e.name === 'Invoice').map((e) => e.id);
  let changes = 0;
  const paymentDates = new Map<string, string>();
  let earliestLostPayment: Date | undefined;
  for (const e of events.filter((ev) => ev.name === 'Payment')) {
    try {
      const payment = await scope.client.read('Payment', e.id);
      if (payment.TxnDate) paymentDates.set(payment.Id, payment.TxnDate);
      for (const line of payment.Line ?? []) for (const l of line.LinkedTxn ?? []) if (l.TxnType === 'Invoice') invoiceIds.push(l.TxnId);
      if (e.operation !== 'Create') earliestLostPayment = earlier(earliestLostPayment, e.lastUpdated);
    } catch (error) {
      if (!(error instanceof QboNotFoundError)) throw error;
      earliestLostPayment = earlier(earliestLostPayment, e.lastUpdated);
    }
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

/**
 * Processes one stored notification for every company connected to its realms; marks it processed only when all
 * went through (a failure leaves it for the next try: at least once). Returns the states changed.
 */
export async function processNotification(deps: SweepDeps, inboxId: number): Promise<number> {
  const row = await getNotification(deps.db.kysely, inboxId);
  if (!row || row.processed_at !== null) return 0;
  try {
    let changes = 0;
    for (const realm of parseNotification(row.body)) {
      for (const company of await connectedCompanies(deps.db.kysely, realm.realmId)) {
        const scope = await scopeFor(deps, company.companyId, company.code);
        changes += await applyRealmEvents(scope, realm.entities);
      }
    }
    await markNotificationProcessed(deps.db.kysely, inboxId);
    return changes;
  } catch (error) {
    await markNotificationFailed(deps.db.kysely, inboxId, (error as Error).message);
    throw error;
  }
}
