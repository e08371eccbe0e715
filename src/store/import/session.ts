import type { TxHandle } from '../db.ts';
import { upsertCompany } from '../erp/companies.ts';
import type { CustomerRecord, InvoiceLineRecord, InvoiceRecord, ProductRecord } from '../erp/records.ts';
import { invoiceKey, productKey, replaceInvoiceLines, upsertCustomers, upsertInvoices, upsertProducts } from '../erp/upserts.ts';
import { lookupCompanies, lookupCustomers, lookupInvoices, lookupProducts, type ExistingInvoice } from './lookups.ts';
import { loadCompanyBooks, resolveCustomerIds, resolveProductIds, type CompanyBooks } from '../erp/seed-ids.ts';
import type { Books } from '../erp/qbo-ids.ts';
import type { SourceRecord } from './sources.ts';
import { changedFields, loadStoredInvoices, type StoredInvoice } from './transferred.ts';
import { importCreditMemos } from './credit-memo-import.ts';
import { validateInvoiceLines, validateRecord, type FieldProblem, type InvoiceInput, type InvoiceLineInput, type InvoiceLinesInput } from './validate.ts';

export interface ImportProblem {
  /** e.g. `invoices[3] INV-1001` or `row 4 C-100`. */
  record: string;
  /** e.g. `lines[1].qty`; empty for the record as a whole. */
  field: string;
  message: string;
}

export interface ImportCounts {
  companies: number;
  customers: number;
  products: number;
  invoices: number;
  creditMemos: number;
  /** Invoice and credit memo lines. */
  lines: number;
}

/** What resolving a record's references found: problems to report, or a reference to a record rejected in this file. */
export interface Resolution {
  problems: FieldProblem[];
  usable: boolean;
}

/** A key met in the file whose record was rejected: referencing it adds no second problem, and is not written. */
const rejected = -1;
/** Enough to fix a file; the rest are counted. */
const maxKeptProblems = 1000;

/**
 * One file's import inside one transaction. Every record is checked (its own fields, then its references:
 * known = in the database or earlier in the file); good records are written in batches as they come, and the
 * caller rolls everything back if any problem was found, so a file is all or nothing.
 */
export class ImportSession {
  readonly problems: ImportProblem[] = [];
  problemCount = 0;
  /** Changes sent for invoices already transferred, not applied (the file is imported all the same). */
  readonly warnings: ImportProblem[] = [];
  warningCount = 0;
  readonly counts: ImportCounts = { companies: 0, customers: 0, products: 0, invoices: 0, creditMemos: 0, lines: 0 };
  private readonly companyIds = new Map<string, number>();
  readonly customerIds = new Map<string, number>();
  readonly productIds = new PerCompany<number>();
  /** Natural key → label of the record that first used it, per kind. */
  private readonly seenCompanies = new Map<string, string>();
  private readonly seenCustomers = new Map<string, string>();
  private readonly seenProducts = new PerCompany<string>();
  private readonly seenInvoices = new PerCompany<string>();
  readonly seenCreditMemos = new PerCompany<string>();
  /** The companies and the books each uses, for the id fields (read again after companies are imported). */
  private books: CompanyBooks[] | null = null;

  constructor(
    readonly tx: TxHandle,
    private readonly defaultCompany: string | undefined,
  ) {}

  async handle(batch: readonly SourceRecord[]): Promise<void> {
    let start = 0;
    for (let i = 1; i <= batch.length; i += 1) {
      if (i === batch.length || batch[i]?.kind !== batch[start]?.kind) {
        const run = batch.slice(start, i);
        const kind = run[0]?.kind;
        if (kind === 'companies') await this.companies(run);
        else if (kind === 'customers') await this.customers(run);
        else if (kind === 'products') await this.products(run);
        else if (kind === 'invoices') await this.invoices(run);
        else if (kind === 'creditMemos') await importCreditMemos(this, run);
        start = i;
      }
    }
  }

  report(record: SourceRecord, problems: readonly FieldProblem[]): void {
    const raw = record.raw as Record<string, unknown> | null;
    const key = [raw?.invoiceNo, raw?.memoNo, raw?.productNo, raw?.customerNo, raw?.code].find((k) => typeof k === 'string');
    const name = key === undefined ? record.label : `${record.label} ${String(key)}`;
    for (const p of problems) {
      this.problemCount += 1;
      if (this.problems.length < maxKeptProblems) {
        this.problems.push({ record: name, field: record.describePath ? record.describePath(p.path) : p.path, message: p.message });
      }
    }
  }

  /** False (and a problem) when the key was already met in this file. */
  firstTime(record: SourceRecord, seen: Map<string, string>, key: string, field: string): boolean {
    const first = seen.get(key);
    if (first !== undefined) {
      this.report(record, [{ path: field, message: `"${key}" appears twice in this file (first at ${first})` }]);
      return false;
    }
    seen.set(key, record.label);
    return true;
  }

  private async companies(run: readonly SourceRecord[]): Promise<void> {
    for (const record of run) {
      const checked = validateRecord('companies', record.raw);
      const code = (record.raw as { code?: unknown }).code;
      if (!checked.ok) {
        this.report(record, checked.problems);
        if (typeof code === 'string') this.companyIds.set(code.trim(), rejected);
        continue;
      }
      const c = checked.value;
      if (!this.firstTime(record, this.seenCompanies, c.code, 'code')) continue;
      const row = await upsertCompany(this.tx.kysely, { code: c.code, name: c.name, qbPrimaryCompany: c.qbPrimaryCompany, ...(c.settings ? { settings: c.settings } : {}) });
      this.companyIds.set(c.code, row.id);
      this.counts.companies += 1;
    }
    this.books = null;
  }

  private async companyBooks(): Promise<CompanyBooks[]> {
    return (this.books ??= await loadCompanyBooks(this.tx.kysely));
  }

  private async customers(run: readonly SourceRecord[]): Promise<void> {
    const good: CustomerRecord[] = [];
    for (const record of run) {
      const checked = validateRecord('customers', record.raw);
      const no = (record.raw as { customerNo?: unknown }).customerNo;
      if (!checked.ok) {
        this.report(record, checked.problems);
        if (typeof no === 'string') this.customerIds.set(no.trim(), rejected);
        continue;
      }
      const { financialSystemCustomerId, secondaryCustomerId, qboIds, ...customer } = checked.value;
      const ids = financialSystemCustomerId || secondaryCustomerId || qboIds
        ? resolveCustomerIds(await this.companyBooks(), { financialSystemCustomerId, secondaryCustomerId, qboIds })
        : null;
      if (ids && !ids.ok) {
        this.report(record, ids.problems);
        this.customerIds.set(customer.customerNo, rejected);
        continue;
      }
      if (!this.firstTime(record, this.seenCustomers, customer.customerNo, 'customerNo')) continue;
      good.push(ids ? { ...customer, qboIds: ids.ids } : customer);
    }
    for (const [no, id] of await upsertCustomers(this.tx, good)) this.customerIds.set(no, id);
    this.counts.customers += good.length;
  }

  /**
   * The company a product or invoice belongs to: its own `company`, else `--company`. Synchronous once the
   * company is known, so that the usual record (a known company) costs no await.
   */
  companyOf(record: SourceRecord, code: string | undefined): number | null | Promise<number | null> {
    const chosen = code ?? this.defaultCompany;
    if (chosen === undefined) {
      this.report(record, [{ path: 'company', message: 'is required (name the company in the record or pass --company CODE)' }]);
      return null;
    }
    if (!this.companyIds.has(chosen)) {
      return lookupCompanies(this.tx.kysely, [chosen]).then((found) => {
        const id = found.get(chosen);
        if (id !== undefined) this.companyIds.set(chosen, id);
        return this.knownCompany(record, code, chosen);
      });
    }
    return this.knownCompany(record, code, chosen);
  }

  private knownCompany(record: SourceRecord, code: string | undefined, chosen: string): number | null {
    const id = this.companyIds.get(chosen);
    if (id === undefined) {
      this.report(record, [{ path: code === undefined ? '' : 'company', message: `unknown company "${chosen}"` }]);
      return null;
    }
    return id === rejected ? null : id;
  }

  private async products(run: readonly SourceRecord[]): Promise<void> {
    const good: ProductRecord[] = [];
    for (const record of run) {
      const checked = validateRecord('products', record.raw);
      if (!checked.ok) {
        this.report(record, checked.problems);
        continue;
      }
      const p = checked.value;
      const known = this.companyOf(record, p.company);
      const companyId = known instanceof Promise ? await known : known;
      if (companyId === null) continue;
      if (!this.firstTime(record, this.seenProducts.of(companyId), p.productNo, 'productNo')) continue;
      const product: ProductRecord = { companyId, productNo: p.productNo, description: p.description, type: p.type, unitPrice: p.unitPrice };
      if (p.financialSystemProductId || p.qboIds) {
        const ids = resolveProductIds(await this.companyBooks(), companyId, p.financialSystemProductId, p.qboIds);
        if (!ids.ok) {
          this.report(record, ids.problems);
          this.productIds.of(companyId).set(p.productNo, rejected);
          continue;
        }
        product.qboIds = ids.ids;
      }
      good.push(product);
    }
    const ids = await upsertProducts(this.tx, good);
    for (const p of good) this.productIds.of(p.companyId).set(p.productNo, ids.get(productKey(p.companyId, p.productNo))!);
    this.counts.products += good.length;
  }

  private async invoices(run: readonly SourceRecord[]): Promise<void> {
    type Checked = { record: SourceRecord; companyId: number; full?: InvoiceInput; linesOnly?: InvoiceLinesInput };
    const checked: Checked[] = [];
    for (const record of run) {
      const result = record.linesOnly ? validateInvoiceLines(record.raw) : validateRecord('invoices', record.raw);
      if (!result.ok) {
        this.report(record, result.problems);
        continue;
      }
      const known = this.companyOf(record, result.value.company);
      const companyId = known instanceof Promise ? await known : known;
      if (companyId === null) continue;
      if (!this.firstTime(record, this.seenInvoices.of(companyId), result.value.invoiceNo, 'invoiceNo')) continue;
      checked.push(record.linesOnly
        ? { record, companyId, linesOnly: result.value as InvoiceLinesInput }
        : { record, companyId, full: result.value as InvoiceInput });
    }
    await this.loadReferences(checked.map((c) => ({ companyId: c.companyId, invoice: (c.full ?? c.linesOnly)! })));
    const existing = new Map<number, Map<string, ExistingInvoice>>();
    for (const companyId of new Set(checked.map((c) => c.companyId))) {
      const nos = checked.filter((c) => c.companyId === companyId).map((c) => (c.full ?? c.linesOnly)!.invoiceNo);
      existing.set(companyId, await lookupInvoices(this.tx.kysely, companyId, nos));
    }

    const transferredIds = [...existing.values()].flatMap((m) => [...m.values()]).filter((b) => b.transferred === 1).map((b) => b.id);
    const stored = transferredIds.length > 0 ? await loadStoredInvoices(this.tx.kysely, transferredIds) : new Map<number, StoredInvoice>();
    const books = new Map((await this.companyBooks()).map((c) => [c.id, c.books]));

    const toUpsert: InvoiceRecord[] = [];
    const toReline: Array<{ invoiceId: number; lines: InvoiceLineRecord[] }> = [];
    for (const { record, companyId, full, linesOnly } of checked) {
      const input = (full ?? linesOnly)!;
      const problems: FieldProblem[] = [];
      const before = existing.get(companyId)?.get(input.invoiceNo);
      const transferred = before?.transferred === 1 ? stored.get(before.id) : undefined;
      if (transferred) {
        this.keepTransferred(record, input.invoiceNo, before?.qbo_invoice_id ?? null, changedFields(input, transferred));
        continue;
      }
      if (linesOnly && !before) problems.push({ path: 'invoiceNo', message: 'unknown invoice (import its invoices.csv row first)' });
      const found: Resolution = { problems, usable: true };
      const customerId = full ? this.resolveCustomer(full.customerNo, found) : 0;
      const lines = this.resolveLines(companyId, input.lines, found);
      if (problems.length > 0) {
        this.report(record, problems);
        continue;
      }
      if (!found.usable) continue;
      if (full) toUpsert.push(invoiceRecord(companyId, customerId, full, full.lines === undefined ? undefined : lines, books.get(companyId) ?? null));
      else if (before) toReline.push({ invoiceId: before.id, lines });
      this.counts.invoices += 1;
      this.counts.lines += lines.length;
    }
    if (toUpsert.length > 0) {
      const existingKeys = new Set<string>();
      for (const [companyId, found] of existing) for (const no of found.keys()) existingKeys.add(invoiceKey(companyId, no));
      await upsertInvoices(this.tx, toUpsert, { existingKeys });
    }
    if (toReline.length > 0) await replaceInvoiceLines(this.tx, toReline);
  }

  /** An invoice already transferred is kept as it is; changes the file sends are reported, not applied. */
  private keepTransferred(record: SourceRecord, invoiceNo: string, qboInvoiceId: string | null, changed: readonly string[]): void {
    this.keepTransferredRecord(record, invoiceNo, changed,
      `not applied: the invoice was already transferred to QuickBooks${qboInvoiceId ? ` (QBO invoice ${qboInvoiceId})` : ''}; change it in QuickBooks, or credit it and issue a new invoice number`);
  }

  /** A warning for a record already transferred whose changes are not applied (invoices and credit memos). */
  keepTransferredRecord(record: SourceRecord, key: string, changed: readonly string[], message: string): void {
    if (changed.length === 0) return;
    this.warningCount += 1;
    if (this.warnings.length >= maxKeptProblems) return;
    this.warnings.push({ record: `${record.label} ${key}`, field: changed.join(', '), message });
  }

  /** The customer's id; 0 when unknown (a problem is added) or rejected earlier in the file (not usable). */
  resolveCustomer(customerNo: string, found: Resolution): number {
    const id = this.customerIds.get(customerNo);
    if (id === undefined) found.problems.push({ path: 'customerNo', message: `unknown customer "${customerNo}" (not in the database nor earlier in this file)` });
    else if (id === rejected) found.usable = false;
    else return id;
    return 0;
  }

  /** Invoice or credit memo lines with their products resolved to ids (unknown products added as problems). */
  resolveLines(companyId: number, input: readonly InvoiceLineInput[] | undefined, found: Resolution): InvoiceLineRecord[] {
    const productIds = this.productIds.of(companyId);
    return (input ?? []).map((line, index) => {
      let productId: number | null = null;
      if (line.productNo) {
        const id = productIds.get(line.productNo);
        if (id === undefined) found.problems.push({ path: `lines[${index}].productNo`, message: `unknown product "${line.productNo}" of this company (not in the database nor earlier in this file)` });
        else if (id === rejected) found.usable = false;
        else productId = id;
      }
      return {
        productId, charge: line.charge ?? null, qboItemName: line.qboItemName ?? null, qty: line.qty, unitPrice: line.unitPrice,
        description: line.description, taxable: line.taxable ?? null, taxCode: line.taxCode ?? null,
      };
    });
  }

  /** Fills the caches with the customers and products the invoices name that the file has not yet shown. */
  async loadReferences(invoices: ReadonlyArray<{ companyId: number; invoice: { customerNo?: string; lines?: ReadonlyArray<{ productNo?: string | null | undefined }> | undefined } }>): Promise<void> {
    const customerNos = new Set<string>();
    const productNos = new Map<number, Set<string>>();
    for (const { companyId, invoice } of invoices) {
      if (invoice.customerNo !== undefined && !this.customerIds.has(invoice.customerNo)) customerNos.add(invoice.customerNo);
      const productIds = this.productIds.of(companyId);
      for (const line of invoice.lines ?? []) {
        if (!line.productNo || productIds.has(line.productNo)) continue;
        const set = productNos.get(companyId) ?? new Set<string>();
        set.add(line.productNo);
        productNos.set(companyId, set);
      }
    }
    if (customerNos.size > 0) for (const [no, id] of await lookupCustomers(this.tx.kysely, [...customerNos])) this.customerIds.set(no, id);
    for (const [companyId, nos] of productNos) {
      const productIds = this.productIds.of(companyId);
      for (const [no, id] of await lookupProducts(this.tx.kysely, companyId, [...nos])) productIds.set(no, id);
    }
  }
}

/** Values by company and natural key, with no combined key string built per look-up (one per invoice line). */
export class PerCompany<V> {
  private readonly byCompany = new Map<number, Map<string, V>>();

  of(companyId: number): Map<string, V> {
    let map = this.byCompany.get(companyId);
    if (!map) this.byCompany.set(companyId, (map = new Map<string, V>()));
    return map;
  }
}

function invoiceRecord(companyId: number, customerId: number, i: InvoiceInput, lines: InvoiceLineRecord[] | undefined, books: Books | null): InvoiceRecord {
  return {
    // An invoice the ERP says it transferred belongs to the books its company uses now.
    qboRealmId: i.transferred ? books : null,
    companyId, customerId, lines,
    invoiceNo: i.invoiceNo,
    invoiceDate: i.invoiceDate,
    dueDate: i.dueDate,
    customerPo: i.customerPo,
    status: i.status,
    transferred: i.transferred,
    transferredAt: i.transferred ? (i.transferredAt ?? new Date().toISOString()) : null,
    qboInvoiceId: i.transferred ? i.qboInvoiceId : null,
    freight: i.freight,
    handling: i.handling,
    packaging: i.packaging,
    orderDiscount: i.orderDiscount,
    currency: i.currency,
    taxAmount: i.taxAmount,
    exchangeRate: i.exchangeRate,
    shipToAddress: i.shipToAddress,
  };
}
