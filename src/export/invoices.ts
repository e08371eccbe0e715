import { countInvoicesToExport } from '../store/erp/counts.ts';
import { listInvoicesToExport } from '../store/erp/invoices.ts';
import { InvoicePhaseState, prepareInvoices, type InvoiceWork } from './invoice-prepare.ts';
import { commitInvoices } from './invoice-writer.ts';
import type { PhaseOutcomes } from './outcomes.ts';
import type { RunContext } from './run-context.ts';
import { WorkQueue } from './work-queue.ts';
import { BatchPacer } from './batch-pacer.ts';
import { settleInDoubt } from './in-doubt.ts';
import type { InvoiceSender } from './writer.ts';

/** Invoices read from the database at a time (keyset paging: memory stays flat). */
const PAGE = 250;
/** The reader waits while this many invoices are queued. */
const QUEUE_HIGH = 2 * PAGE;

/**
 * How many calls are in flight. QBO allows 40 batch calls (of 30) and 500 requests a minute per realm, 10 a
 * second (the client's limiter enforces them): a few batch workers keep the batch quota busy despite latency,
 * and single creates use the request budget the batches leave (500 − 40 a minute).
 */
export interface InvoiceConcurrency {
  batchWorkers: number;
  singleWorkers: number;
}
export const defaultInvoiceConcurrency: InvoiceConcurrency = { batchWorkers: 3, singleWorkers: 2 };

export async function exportInvoices(rc: RunContext, outcomes: PhaseOutcomes, concurrency = defaultInvoiceConcurrency): Promise<void> {
  const total = await countInvoicesToExport(rc.db.kysely, rc.company.id);
  const state = new InvoicePhaseState({
    freightItem: rc.settings.freightItem,
    handlingItem: rc.settings.handlingItem,
    packagingItem: rc.settings.packagingItem,
    passOrderDiscount: rc.settings.passOrderDiscount ?? false,
  });
  const queue = new WorkQueue<InvoiceWork>();
  let done = 0;
  const failure: { error: Error | null } = { error: null };
  const progressed = (n: number) => {
    done += n;
    rc.progress('invoices', done, total);
  };
  const guard = (body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      failure.error ??= error instanceof Error ? error : new Error(String(error));
      // Stops launching work; the error itself is rethrown below and decides the run's stop.
      rc.stop({ reason: 'error', message: error instanceof Error ? error.message : String(error) });
      queue.close();
    }
  };
  const adopt = (work: readonly InvoiceWork[], ids: readonly string[]) => commitInvoices(rc, work, ids);

  const reader = guard(async () => {
    for (let afterId: number | undefined; !rc.stopped; ) {
      await queue.waitBelow(QUEUE_HIGH);
      if (rc.stopped) break;
      const page = await listInvoicesToExport(rc.db.kysely, rc.company.id, afterId === undefined ? { limit: PAGE } : { afterId, limit: PAGE }, rc.books);
      if (page.length === 0) break;
      afterId = page[page.length - 1]?.invoice.id;
      const { toCreate, settled } = await prepareInvoices(rc, state, outcomes, page, adopt);
      progressed(settled);
      queue.push(toCreate);
      await rc.maybeFlush();
    }
    queue.close();
  });
  const pacer = new BatchPacer();
  /**
   * Takes up to `sender.size` invoices at a time and hands them to the sender. Paced (batch) senders wait for QBO's
   * batch quota before taking invoices, so that single creates can send them meanwhile.
   */
  const worker = (sender: InvoiceSender) => guard(async () => {
    for (;;) {
      if (rc.stopped || (sender.paced && !(await pacer.turn(() => rc.stopped || queue.drained)))) return;
      const work = await queue.take(sender.size);
      if (work.length === 0) return;
      await sender.send(rc, work);
      progressed(work.length);
      await rc.maybeFlush();
    }
  });

  rc.progress('invoices', 0, total, true);
  await Promise.all([reader(), ...rc.writer.invoiceSenders(concurrency).map((sender) => worker(sender)())]);
  // Before the run ends: writes still in doubt are looked up again once their windows close (in-doubt.ts).
  if (!failure.error) await guard(() => settleInDoubt(rc, 'invoice'))();
  await rc.flush();
  rc.progress('invoices', done, total, true);
  if (failure.error) throw failure.error;
}
