import type { InvoiceLineRecord } from '../erp/records.ts';
import { upsertCreditMemos, replaceCreditMemoLines, type CreditMemoRecord } from '../credit-memos/upserts.ts';
import { lookupCreditMemos, lookupInvoiceCustomers } from './lookups.ts';
import type { ImportSession, Resolution } from './session.ts';
import type { SourceRecord } from './sources.ts';
import { loadStoredCreditMemos, memoChangedFields, type StoredCreditMemo } from './transferred-memos.ts';
import { validateCreditMemoLines, validateRecord, type CreditMemoInput, type CreditMemoLinesInput, type FieldProblem } from './validate.ts';

type Checked = { record: SourceRecord; companyId: number; full?: CreditMemoInput; linesOnly?: CreditMemoLinesInput };

/**
 * The `creditMemos` records of one run of the file (issue 16), with the invoices' checks: memoNo, customer and
 * products known, decimals, and `appliesTo` an invoice of the same company (in the database or earlier in the file)
 * for the same customer. A transferred memo is kept as it is, like a transferred invoice: identical → nothing to do,
 * changed → a warning naming the fields, not applied.
 */
export async function importCreditMemos(session: ImportSession, run: readonly SourceRecord[]): Promise<void> {
  const checked = await checkFields(session, run);
  await session.loadReferences(checked.map((c) => ({ companyId: c.companyId, invoice: (c.full ?? c.linesOnly)! })));
  const existing = new Map<number, Awaited<ReturnType<typeof lookupCreditMemos>>>();
  const invoices = new Map<number, Awaited<ReturnType<typeof lookupInvoiceCustomers>>>();
  for (const companyId of new Set(checked.map((c) => c.companyId))) {
    const ofCompany = checked.filter((c) => c.companyId === companyId);
    existing.set(companyId, await lookupCreditMemos(session.tx.kysely, companyId, ofCompany.map((c) => (c.full ?? c.linesOnly)!.memoNo)));
    invoices.set(companyId, await lookupInvoiceCustomers(session.tx.kysely, companyId, ofCompany.flatMap((c) => (c.full?.appliesTo ? [c.full.appliesTo] : []))));
  }

  const transferredIds = [...existing.values()].flatMap((m) => [...m.values()]).filter((b) => b.transferred === 1).map((b) => b.id);
  const stored = transferredIds.length > 0 ? await loadStoredCreditMemos(session.tx.kysely, transferredIds) : new Map<number, StoredCreditMemo>();

  const toUpsert: CreditMemoRecord[] = [];
  const toReline: Array<{ memoId: number; lines: InvoiceLineRecord[] }> = [];
  for (const { record, companyId, full, linesOnly } of checked) {
    const input = (full ?? linesOnly)!;
    const problems: FieldProblem[] = [];
    const before = existing.get(companyId)?.get(input.memoNo);
    const transferred = before?.transferred === 1 ? stored.get(before.id) : undefined;
    if (transferred) {
      const qboId = before?.qbo_credit_memo_id;
      session.keepTransferredRecord(record, input.memoNo, memoChangedFields(input, transferred),
        `not applied: the credit memo was already transferred to QuickBooks${qboId ? ` (QBO credit memo ${qboId})` : ''}; change it in QuickBooks, or issue a new credit memo number`);
      continue;
    }
    if (linesOnly && !before) problems.push({ path: 'memoNo', message: 'unknown credit memo (import its credit-memos.csv row first)' });
    const found: Resolution = { problems, usable: true };
    const customerId = full ? session.resolveCustomer(full.customerNo, found) : 0;
    let appliesToInvoiceId: number | null = null;
    if (full?.appliesTo) {
      const invoice = invoices.get(companyId)?.get(full.appliesTo);
      if (!invoice) problems.push({ path: 'appliesTo', message: `unknown invoice "${full.appliesTo}" of this company (not in the database nor earlier in this file)` });
      else if (customerId !== 0 && invoice.customer_id !== customerId) {
        problems.push({ path: 'appliesTo', message: `invoice "${full.appliesTo}" is for customer ${invoice.customer_no}, not ${full.customerNo}; a credit memo credits an invoice of its own customer` });
      } else appliesToInvoiceId = invoice.id;
    }
    const lines = session.resolveLines(companyId, input.lines, found);
    if (problems.length > 0) {
      session.report(record, problems);
      continue;
    }
    if (!found.usable) continue;
    if (full) {
      toUpsert.push({
        companyId, customerId, appliesToInvoiceId, memoNo: full.memoNo, memoDate: full.memoDate, status: full.status,
        freight: full.freight, handling: full.handling, packaging: full.packaging, orderDiscount: full.orderDiscount, taxAmount: full.taxAmount,
        lines: full.lines === undefined ? undefined : lines,
      });
    } else if (before) toReline.push({ memoId: before.id, lines });
    session.counts.creditMemos += 1;
    session.counts.lines += lines.length;
  }
  if (toUpsert.length > 0) await upsertCreditMemos(session.tx, toUpsert);
  if (toReline.length > 0) await replaceCreditMemoLines(session.tx, toReline);
}

/** Field checks, the company, and no memo twice in the file. */
async function checkFields(session: ImportSession, run: readonly SourceRecord[]): Promise<Checked[]> {
  const checked: Checked[] = [];
  for (const record of run) {
    const result = record.linesOnly ? validateCreditMemoLines(record.raw) : validateRecord('creditMemos', record.raw);
    if (!result.ok) {
      session.report(record, result.problems);
      continue;
    }
    const known = session.companyOf(record, result.value.company);
    const companyId = known instanceof Promise ? await known : known;
    if (companyId === null) continue;
    if (!session.firstTime(record, session.seenCreditMemos.of(companyId), result.value.memoNo, 'memoNo')) continue;
    checked.push(record.linesOnly
      ? { record, companyId, linesOnly: result.value as CreditMemoLinesInput }
      : { record, companyId, full: result.value as CreditMemoInput });
  }
  return checked;
}
