import { Big } from 'big.js';

/** What QBO says about the invoice a credit memo credits (null: it is not there, e.g. deleted). */
export interface InvoiceInQbo {
  Id: string;
  TotalAmt?: string | undefined;
  Balance?: string | undefined;
  PrivateNote?: string | undefined;
}

/** What QBO says about the credit memo (null: deleted). */
export interface CreditMemoInQbo {
  Id: string;
  TotalAmt?: string | undefined;
  RemainingCredit?: string | undefined;
}

export type ApplicationDecision =
  | { action: 'apply'; reason: 'full' | 'up-to-open-balance'; amount: string; message: string }
  | { action: 'leave'; reason: 'invoice-deleted' | 'invoice-voided' | 'invoice-paid' | 'memo-deleted' | 'memo-used'; message: string };

/**
 * Whether and how much of a credit memo to apply to its invoice (STYLE.md rule 9: pure, decision and reason).
 * QBO lets a payment apply at most the invoice's open Balance and the memo's RemainingCredit; an invoice already
 * paid, voided or deleted gets nothing: the credit stays on the customer for the user to use.
 */
export function decideApplication(invoiceNo: string, invoice: InvoiceInQbo | null, memo: CreditMemoInQbo | null): ApplicationDecision {
  const left = 'the credit stays in QuickBooks, unapplied, for you to use';
  if (!invoice) return { action: 'leave', reason: 'invoice-deleted', message: `invoice ${invoiceNo} was deleted in QuickBooks; ${left}` };
  const total = new Big(invoice.TotalAmt ?? '0');
  const balance = new Big(invoice.Balance ?? '0');
  // QBO voids by zeroing the amounts and noting "Voided" (Intuit: "Void an invoice").
  if (total.eq(0) && /^Voided\b/.test(invoice.PrivateNote ?? '')) {
    return { action: 'leave', reason: 'invoice-voided', message: `invoice ${invoiceNo} (Id ${invoice.Id}) is voided in QuickBooks; ${left}` };
  }
  if (balance.lte(0)) return { action: 'leave', reason: 'invoice-paid', message: `invoice ${invoiceNo} (Id ${invoice.Id}) is already paid in QuickBooks; ${left}` };
  if (!memo) return { action: 'leave', reason: 'memo-deleted', message: `the credit memo was deleted in QuickBooks; nothing to apply to invoice ${invoiceNo}` };
  const remaining = new Big(memo.RemainingCredit ?? '0');
  if (remaining.lte(0)) {
    return { action: 'leave', reason: 'memo-used', message: `the credit memo (Id ${memo.Id}) has no credit left in QuickBooks (voided or already used); nothing applied to invoice ${invoiceNo}` };
  }
  if (remaining.lte(balance)) {
    const amount = remaining.toFixed(2);
    return { action: 'apply', reason: 'full', amount, message: `credit of ${amount} applied to invoice ${invoiceNo} (Id ${invoice.Id})` };
  }
  const amount = balance.toFixed(2);
  return {
    action: 'apply', reason: 'up-to-open-balance', amount,
    message: `credit of ${amount} applied to invoice ${invoiceNo} (Id ${invoice.Id}), its open balance; the other ${remaining.minus(balance).toFixed(2)} stays in QuickBooks as credit for you to use`,
  };
}
