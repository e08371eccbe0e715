import type { CreditMemoWithLines } from '../../store/credit-memos/repository.ts';
import type { InvoiceWithLines } from '../../store/erp/invoices.ts';
import type { BillingAddress } from '../../store/erp/records.ts';
import { mapInvoice, type InvoiceMappingContext, type QboInvoicePayload } from '../invoice-mapping.ts';
import { applyTaxAndCurrency, type TaxContext, type TotalCheck } from '../invoice-tax.ts';
import { expectedTotalOf } from '../invoice-totals.ts';

/** The QBO CreditMemo create body: an invoice's lines and header, without due date and customer memo. */
export type QboCreditMemoPayload = Omit<QboInvoicePayload, 'DueDate' | 'CustomerMemo'>;

export type CreditMemoMapping =
  | { ok: true; payload: QboCreditMemoPayload; expectedTotal: string; check: TotalCheck; warnings: string[] }
  | { ok: false; problems: string[]; warnings: string[] };

const noAddress: BillingAddress = { line1: null, line2: null, city: null, region: null, postalCode: null, country: null };

/**
 * A credit memo seen as the invoice mapping sees an invoice: same lines, same header charges, same settings
 * (Intuit's CreditMemo takes the Invoice's SalesItemLineDetail and DiscountLineDetail lines). memoNo is the
 * DocNumber and memoDate the TxnDate.
 */
export function asInvoiceView(source: CreditMemoWithLines): InvoiceWithLines {
  const { memo } = source;
  return {
    customer: source.customer,
    customerQboId: source.customerQboId,
    lines: source.lines,
    invoice: {
      id: memo.id, companyId: memo.companyId, invoiceNo: memo.memoNo, customerId: memo.customerId, invoiceDate: memo.memoDate,
      dueDate: null, customerPo: null, status: memo.status, transferred: memo.transferred, transferredAt: memo.transferredAt,
      qboInvoiceId: memo.qboCreditMemoId, qboRealmId: memo.qboRealmId, freight: memo.freight, handling: memo.handling,
      packaging: memo.packaging, orderDiscount: memo.orderDiscount, updatedAt: memo.updatedAt,
      // A memo is in the home currency and carries no ship-to address or QuickBooks amounts of its own.
      currency: null, taxAmount: memo.taxAmount, exchangeRate: null, shipToAddress: noAddress, qboHomeTotal: null, qboTotalTax: null,
    },
  };
}

/**
 * Maps one ERP credit memo with the invoice mapping, then sales tax and currency as on invoices (issue 15: the
 * company's `salesTax` mode, line `taxable`/`taxCode`, the memo's `taxAmount` in `erp` mode). Problems and warnings
 * read the same, after "Credit memo CM-1: ".
 */
export function mapCreditMemo(source: CreditMemoWithLines, ctx: InvoiceMappingContext, tax: TaxContext): CreditMemoMapping {
  const view = asInvoiceView(source);
  const mapped = mapInvoice(view, ctx);
  const warnings = mapped.warnings.map(asMemoText);
  if (!mapped.ok) return { ok: false, problems: mapped.problems.map(asMemoText), warnings };
  const taxed = applyTaxAndCurrency(mapped.payload, mapped.expectedTotal, view, tax);
  if (!taxed.ok) return { ok: false, problems: taxed.problems.map(asMemoText), warnings };
  const { DueDate: _due, CustomerMemo: _memo, ...payload } = taxed.payload;
  return { ok: true, payload, expectedTotal: expectedTotalOf(taxed.check), check: taxed.check, warnings };
}

/** The invoice mapping and total checks speak of "the invoice"; on a credit memo the same words name the memo. */
export function asMemoText(text: string): string {
  return text
    .replace(/\bthe invoice number\b/g, 'the credit memo number')
    .replace(/\bthe QuickBooks invoice\b/g, 'the QuickBooks credit memo')
    .replace(/\bthe invoice was created\b/g, 'the credit memo was created');
}
