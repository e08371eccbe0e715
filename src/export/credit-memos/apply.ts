import { Big } from 'big.js';
import type { CreditMemo as QboCreditMemo, Invoice as QboInvoice, Payment } from '../../qbo/entities.ts';
import { isQboError } from '../../qbo/errors.ts';
import { select } from '../../qbo/query.ts';
import { listCreditMemosToApply, settleCreditApplication, type CreditMemoWithLines } from '../../store/credit-memos/repository.ts';
import { commitExported } from '../../store/runs/commit.ts';
import { getIntents } from '../../store/runs/intents.ts';
import type { ExportIntent } from '../../store/runs/tables.ts';
import { describeQboError } from '../messages.ts';
import type { RecordRef, RunContext } from '../run-context.ts';
import { isAuthFailure, writeOnce } from '../write-once.ts';
import { decideApplication } from './application-decision.ts';
import { holdInDoubt, settleInDoubt } from '../in-doubt.ts';

/**
 * Applying a credit memo to the invoice it credits (issue 16). QBO links the two through a Payment whose TotalAmt is 0
 * and whose lines apply the same amount to the Invoice and to the CreditMemo (Intuit: "Apply a credit memo to an
 * invoice" — LinkedTxn TxnType Invoice / CreditMemo). Exactly once: an intent (kind `credit-application`) is written
 * before the Payment is sent with a stable requestid; a pending intent is first settled by looking for a Payment of
 * the customer that already links this memo; the memo's `application` state is settled in the intent's transaction.
 */
export async function applyCreditMemos(rc: RunContext): Promise<void> {
  const memos = await listCreditMemosToApply(rc.db.kysely, rc.company.id, rc.books);
  if (memos.length === 0) return;
  const intents = await rc.writer.intents(rc, 'credit-application', memos.map((m) => m.memo.id));
  for (const source of memos) {
    if (rc.stopped) return;
    await rc.writer.applyCredit(rc, source, intents.get(source.memo.id));
    await rc.maybeFlush();
  }
  await settleInDoubt(rc, 'credit-application');
}

type MemoRef = RecordRef & { kind: 'credit-memo' };

/**
 * The credited invoice's QBO id in the run's books, or null when it is not there (not transferred yet, or
 * transferred to the books the company used before a reconnect: issue 12).
 */
function invoiceIdIn(rc: RunContext, invoice: CreditMemoWithLines['appliesTo']): string | null {
  return invoice?.transferred === true && invoice.qboRealmId === rc.books ? invoice.qboInvoiceId : null;
}

/** The Payment lines of `payment` that apply a positive amount to this credit memo (a voided payment applies 0). */
function amountAppliedBy(payment: Payment, memoQboId: string): Big {
  let sum = new Big(0);
  for (const line of payment.Line ?? []) {
    if ((line.LinkedTxn ?? []).some((l) => l.TxnType === 'CreditMemo' && l.TxnId === memoQboId)) sum = sum.plus(line.Amount ?? '0');
  }
  return sum;
}

/** A payment of the customer that already applies this memo to this invoice (our earlier attempt, or the user's). */
async function findApplication(rc: RunContext, customerId: string, memoQboId: string, invoiceQboId: string): Promise<Payment | null> {
  const payments = await rc.client.queryAll(select('Payment').where('CustomerRef', '=', customerId));
  return payments.find((p) => amountAppliedBy(p, memoQboId).gt(0) &&
    (p.Line ?? []).some((line) => (line.LinkedTxn ?? []).some((l) => l.TxnType === 'Invoice' && l.TxnId === invoiceQboId))) ?? null;
}

/** Reads a transaction by id; null when QBO no longer has it (deleted: 610). */
async function readOrNull<E extends 'Invoice' | 'CreditMemo'>(rc: RunContext, entity: E, id: string): Promise<(E extends 'Invoice' ? QboInvoice : QboCreditMemo) | null> {
  try {
    return (await rc.client.read(entity, id));
  } catch (error) {
    if (isQboError(error) && error.code === 'QBO_NOT_FOUND') return null;
    throw error;
  }
}

/** Applies one transferred memo's credit to its invoice in QuickBooks, exactly once (the live writer's `applyCredit`). */
export async function applyCredit(rc: RunContext, source: CreditMemoWithLines, intent: ExportIntent | undefined): Promise<void> {
  const { memo, appliesTo } = source;
  const ref: MemoRef = { kind: 'credit-memo', key: memo.memoNo };
  const memoQboId = memo.qboCreditMemoId;
  // The customer's id in the run's books (the memo was transferred to them: listCreditMemosToApply).
  const customerId = source.customerQboId;
  if (!appliesTo || !memoQboId || !customerId) return;
  const invoiceQboId = invoiceIdIn(rc, appliesTo);
  if (!invoiceQboId) {
    rc.warn(ref, `its credit waits for invoice ${appliesTo.invoiceNo}, which is not in QuickBooks yet; the export that transfers the invoice applies it`);
    return;
  }
  const settleApplied = async (payment: Payment, how: string) => {
    const amount = amountAppliedBy(payment, memoQboId).toFixed(2);
    await rc.db.kysely.transaction().execute((trx) => commitExported(trx, rc.fence, rc.scope, 'credit-application', [{ recordId: memo.id, qboId: payment.Id }], new Date(),
      (t) => settleCreditApplication(t, memo.id, { application: 'applied', amount, qboPaymentId: payment.Id })));
    rc.record(ref, { tally: 'applied', message: `${how} ${amount} to invoice ${appliesTo.invoiceNo} (Id ${invoiceQboId}) in QuickBooks (Payment ${payment.Id})` });
  };
  // An earlier run may have sent the Payment and died before storing the answer: never apply twice.
  if (intent?.state === 'pending') {
    const earlier = await findApplication(rc, customerId, memoQboId, invoiceQboId);
    if (earlier) return settleApplied(earlier, 'its credit was already applied (by an interrupted export):');
  }
  const [invoice, credit] = [await readOrNull(rc, 'Invoice', invoiceQboId), await readOrNull(rc, 'CreditMemo', memoQboId)];
  const decision = decideApplication(appliesTo.invoiceNo, invoice, credit);
  if (decision.action === 'leave') {
    await rc.db.kysely.transaction().execute((trx) => settleCreditApplication(trx, memo.id, { application: 'unapplied' }));
    rc.warn(ref, decision.message);
    return;
  }
  const amount = new Big(decision.amount);
  const written = await writeOnce(rc, {
    kind: 'credit-application',
    recordId: memo.id,
    lookupKey: `${invoiceQboId}/${memoQboId}`,
    entity: 'Payment',
    payload: {
      CustomerRef: { value: customerId },
      TotalAmt: new Big(0),
      PrivateNote: `Credit memo ${memo.memoNo} applied to invoice ${appliesTo.invoiceNo} by qbo-export`,
      Line: [
        { Amount: amount, LinkedTxn: [{ TxnId: invoiceQboId, TxnType: 'Invoice' }] },
        { Amount: amount, LinkedTxn: [{ TxnId: memoQboId, TxnType: 'CreditMemo' }] },
      ],
    },
    // A Payment of this customer that applies this memo to this invoice is ours: there is no number to collide.
    find: async () => {
      const found = await findApplication(rc, customerId, memoQboId, invoiceQboId);
      return found ? { kind: 'ours', entity: found } : { kind: 'none' };
    },
    commit: (trx, qboId) => settleCreditApplication(trx, memo.id, { application: 'applied', amount: amount.toFixed(2), qboPaymentId: qboId }),
  }, intent);
  if (written.kind === 'created' || written.kind === 'adopted') {
    rc.record(ref, { tally: 'applied', message: `${written.kind === 'adopted' ? 'its credit was already applied: ' : ''}${decision.message} (Payment ${written.entity.Id})` });
    return;
  }
  if (written.kind === 'conflict') return rc.fail(ref, `the credit could not be applied: ${written.message}`, written.qboCode);
  if (written.kind === 'in-doubt') {
    // Never applied twice: looked up again once QuickBooks' window has closed (in-doubt.ts), then sent only if absent.
    return holdInDoubt(rc, {
      kind: 'credit-application', recordId: memo.id, ref, sentAt: written.sentAt,
      settle: async () => applyCredit(rc, source, (await getIntents(rc.db.kysely, rc.scope, 'credit-application', [memo.id])).get(memo.id)),
    });
  }
  if (isAuthFailure(written.error)) throw written.error;
  rc.fail(ref, `the credit memo is in QuickBooks, but applying it to invoice ${appliesTo.invoiceNo} failed: ${describeQboError(written.error)}; the next export tries again`, written.error.qboCode);
}

/**
 * Dry run: what applying would do. `remaining` is the credit the memo will have (its total when it is still to be
 * created), or null to read it from QBO (a memo already transferred).
 */
export async function predictApplication(rc: RunContext, ref: MemoRef, source: CreditMemoWithLines, remaining: string | null): Promise<void> {
  const { appliesTo, memo } = source;
  if (!appliesTo) return;
  const invoiceQboId = invoiceIdIn(rc, appliesTo);
  if (!invoiceQboId) {
    // The invoice phase runs first: an approved invoice not yet transferred is created by this export.
    if (appliesTo.status === 'approved' && !appliesTo.transferred) {
      rc.record(ref, { tally: 'applied', message: `its credit will be applied to invoice ${appliesTo.invoiceNo} once this export has created that invoice` });
    } else {
      rc.warn(ref, `its credit will wait for invoice ${appliesTo.invoiceNo}, which is not in QuickBooks yet; the export that transfers the invoice applies it`);
    }
    return;
  }
  const invoice = await readOrNull(rc, 'Invoice', invoiceQboId);
  const credit = remaining !== null
    ? { Id: memo.qboCreditMemoId ?? 'new', RemainingCredit: remaining }
    : memo.qboCreditMemoId ? await readOrNull(rc, 'CreditMemo', memo.qboCreditMemoId) : null;
  const decision = decideApplication(appliesTo.invoiceNo, invoice, credit);
  if (decision.action === 'apply') {
    rc.record(ref, { tally: 'applied', message: `will apply: ${decision.message}` });
  } else {
    rc.warn(ref, `will not apply: ${decision.message}`);
  }
}
