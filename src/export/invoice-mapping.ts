import { Big } from 'big.js';
import { lineAmount } from '../store/erp/money.ts';
import type { InvoiceWithLines } from '../store/erp/invoices.ts';
import { nameKey } from './names.ts';

/** Intuit: DocNumber is at most 21 characters (2050 otherwise; docs/qbo-behaviour.md §6.4). */
export const MAX_DOC_NUMBER = 21;

/** A QBO Item as the mapping needs it (looked up by name once per run). */
export interface ItemRefInfo {
  id: string;
  name: string;
  active: boolean;
  /** QBO categories share the Name space but cannot be used on transactions (2500). */
  category?: boolean;
}

export interface HeaderChargeSetup {
  /** QBO Item names from the company settings; undefined = not set up (the seed: not passed). */
  freightItem?: string | undefined;
  handlingItem?: string | undefined;
  packagingItem?: string | undefined;
  passOrderDiscount: boolean;
}

export interface InvoiceMappingContext {
  /** The customer's QBO Id (by the company's primary flag); null when it has none. */
  customerQboId: string | null;
  /** Why the customer has no QBO Id, when it has none (e.g. it failed earlier in this run). */
  customerProblem?: string | undefined;
  /** QBO Items by `nameKey(name)`: the line-charge items and the header-charge items. */
  itemsByName: ReadonlyMap<string, ItemRefInfo | null>;
  headerCharges: HeaderChargeSetup;
}

interface SalesLine {
  DetailType: 'SalesItemLineDetail';
  Amount: Big;
  Description?: string;
  SalesItemLineDetail: { ItemRef: { value: string; name?: string }; Qty: Big; UnitPrice: Big; TaxCodeRef?: { value: string } };
}

interface DiscountLine {
  DetailType: 'DiscountLineDetail';
  Amount: Big;
  Description: string;
  DiscountLineDetail: { PercentBased: false };
}

/** The QBO Invoice create body (docs/qbo-behaviour.md §6.4); amounts as Big, written as exact JSON numbers. */
export interface QboInvoicePayload {
  DocNumber: string;
  TxnDate: string;
  DueDate?: string;
  CustomerRef: { value: string };
  CustomerMemo?: { value: string };
  /** Our provenance marker (provenance.ts): QuickBooks keeps it, the customer does not see it. */
  PrivateNote?: string;
  /** Lines in order: the ERP lines (one each, in line order), then header charges, then the order discount. */
  Line: Array<SalesLine | DiscountLine>;
  /** Sales tax and currency (invoice-tax.ts). */
  ShipAddr?: QboAddress;
  GlobalTaxCalculation?: 'TaxExcluded';
  TxnTaxDetail?: { TxnTaxCodeRef?: { value: string }; TotalTax?: Big; TaxLine?: TaxLine[] };
  CurrencyRef?: { value: string };
  ExchangeRate?: Big;
}

export interface QboAddress {
  Line1?: string;
  Line2?: string;
  City?: string;
  CountrySubDivisionCode?: string;
  PostalCode?: string;
  Country?: string;
}

export interface TaxLine {
  Amount: Big;
  DetailType: 'TaxLineDetail';
  TaxLineDetail: { TaxRateRef: { value: string }; PercentBased: true; TaxPercent: Big; NetAmountTaxable: Big };
}

export type InvoiceMapping =
  | { ok: true; payload: QboInvoicePayload; expectedTotal: string; warnings: string[] }
  | { ok: false; problems: string[]; warnings: string[] };

const headerChargeNames = [
  { field: 'freight', setting: 'freightItem', label: 'freight' },
  { field: 'handling', setting: 'handlingItem', label: 'handling' },
  { field: 'packaging', setting: 'packagingItem', label: 'packaging' },
] as const;

/** Every QBO Item name an invoice needs looked up: its line-charge items and the configured header-charge items. */
export function itemNamesNeeded(invoice: InvoiceWithLines, setup: HeaderChargeSetup): string[] {
  const names: string[] = [];
  for (const line of invoice.lines) if (line.productId === null && line.qboItemName) names.push(line.qboItemName);
  for (const h of headerChargeNames) {
    const item = setup[h.setting];
    if (item && new Big(invoice.invoice[h.field]).gt(0)) names.push(item);
  }
  return names;
}

function salesLine(item: ItemRefInfo, qty: string, unitPrice: string, description: string | null): SalesLine {
  const line: SalesLine = {
    DetailType: 'SalesItemLineDetail',
    // QBO checks Amount = round-half-up(Qty × UnitPrice, 2) on every line (6070).
    Amount: new Big(lineAmount(qty, unitPrice)),
    SalesItemLineDetail: { ItemRef: { value: item.id, name: item.name }, Qty: new Big(qty), UnitPrice: new Big(unitPrice) },
  };
  if (description) line.Description = description.slice(0, 4000);
  return line;
}

function itemProblem(item: ItemRefInfo | null | undefined, name: string, fix: string): string | null {
  if (!item) return `QuickBooks has no product named '${name}'; create it in QuickBooks or ${fix}`;
  if (item.category) return `'${name}' is a category in QuickBooks, not a product; use a product or ${fix}`;
  if (!item.active) return `QuickBooks product '${name}' is inactive; make it active in QuickBooks or ${fix}`;
  return null;
}

/**
 * Maps one ERP sales invoice to the QBO Invoice to create, or says everything that stops it (each problem a
 * phrase to follow "Invoice INV-1: "). Pure: all QBO look-ups were done before.
 */
export function mapInvoice(source: InvoiceWithLines, ctx: InvoiceMappingContext): InvoiceMapping {
  const { invoice, customer, lines } = source;
  const problems: string[] = [];
  const warnings: string[] = [];

  if (invoice.invoiceNo.length > MAX_DOC_NUMBER) {
    problems.push(`the invoice number is ${invoice.invoiceNo.length} characters long; QuickBooks allows at most ${MAX_DOC_NUMBER}; shorten it`);
  }
  if (ctx.customerQboId === null) {
    problems.push(ctx.customerProblem ?? `customer ${customer.customerNo} (${customer.name}) is not in QuickBooks; export the customer first`);
  }
  if (lines.length === 0) problems.push('it has no lines; QuickBooks needs at least one');

  const qboLines: Array<SalesLine | DiscountLine> = [];
  let total = new Big(0);
  for (const line of lines) {
    if (line.productId !== null) {
      if (!line.productQboId) {
        problems.push(`line ${line.lineNo}: product ${line.productNo ?? line.productId} is not in QuickBooks yet; see the product's message`);
        continue;
      }
      const item = { id: line.productQboId, name: line.productNo ?? '', active: true };
      const mapped = salesLine(item, line.qty, line.unitPrice, line.description);
      qboLines.push(mapped);
      total = total.plus(mapped.Amount);
      continue;
    }
    const name = line.qboItemName ?? '';
    const problem = itemProblem(ctx.itemsByName.get(nameKey(name)), name, 'fix the line charge');
    const item = ctx.itemsByName.get(nameKey(name));
    if (problem || !item) {
      problems.push(`line ${line.lineNo}: ${problem ?? ''}`);
      continue;
    }
    const mapped = salesLine(item, line.qty, line.unitPrice, line.description ?? line.charge);
    qboLines.push(mapped);
    total = total.plus(mapped.Amount);
  }

  // Beyond the seed: header charges become lines on the items chosen in the settings; not set up → as the seed.
  for (const h of headerChargeNames) {
    const amount = new Big(invoice[h.field]);
    if (amount.lte(0)) continue;
    const itemName = ctx.headerCharges[h.setting];
    if (!itemName) {
      warnings.push(`${h.label} of ${amount.toFixed(2)} was not passed to QuickBooks (no ${h.label} item is set in the export settings); add it as a line charge if it should be billed`);
      continue;
    }
    const item = ctx.itemsByName.get(nameKey(itemName));
    const problem = itemProblem(item, itemName, `change the ${h.label} item in the export settings`);
    if (problem || !item) {
      problems.push(`${h.label} ${amount.toFixed(2)}: ${problem ?? ''}`);
      continue;
    }
    const mapped = salesLine(item, '1', amount.toFixed(2), h.label[0]?.toUpperCase() + h.label.slice(1));
    qboLines.push(mapped);
    total = total.plus(mapped.Amount);
  }
  const discount = new Big(invoice.orderDiscount);
  if (discount.gt(0)) {
    if (ctx.headerCharges.passOrderDiscount) {
      qboLines.push({
        DetailType: 'DiscountLineDetail',
        Amount: new Big(discount.toFixed(2)),
        Description: 'Order discount',
        DiscountLineDetail: { PercentBased: false },
      });
      total = total.minus(discount.toFixed(2));
    } else {
      warnings.push(`order discount of ${discount.toFixed(2)} was not passed to QuickBooks (passing the order discount is off in the export settings); the QuickBooks invoice is higher by that amount`);
    }
  }

  if (problems.length > 0 || ctx.customerQboId === null) return { ok: false, problems, warnings };
  const payload: QboInvoicePayload = {
    DocNumber: invoice.invoiceNo,
    TxnDate: invoice.invoiceDate,
    CustomerRef: { value: ctx.customerQboId },
    Line: qboLines,
  };
  if (invoice.dueDate) payload.DueDate = invoice.dueDate;
  if (invoice.customerPo) payload.CustomerMemo = { value: `Customer PO: ${invoice.customerPo}` };
  return { ok: true, payload, expectedTotal: total.toFixed(2), warnings };
}

/** The same amount to the cent (QBO answers numbers like 100 or 100.0; the ERP keeps "100.00"). */
export function sameMoney(a: string | undefined, b: string): boolean {
  return a !== undefined && new Big(a).eq(new Big(b));
}
