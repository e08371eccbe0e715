import type { Config } from '../src/config/index.ts';
import type { Logger } from '../src/config/logger.ts';
import { CompanyTokenSource } from '../src/qbo/index.ts';
import type { Db } from '../src/store/db.ts';
import { listInvoicesToExport, type InvoiceWithLines } from '../src/store/erp/invoices.ts';
import { lineAmount } from '../src/store/erp/money.ts';
import { connectionStore } from '../src/export/connections.ts';

/**
 * The baseline the exporter is compared with: what a straightforward integration does — one HTTP request
 * per record, one after the other, plain `fetch`, no batch, no parallelism, no limiter. It uses the same
 * OAuth connection (our encrypted token store) and builds the same invoices (same lines, same amounts).
 * It writes nothing back to the ERP: it exists only to be timed.
 */
export interface NaiveRunOptions {
  db: Db;
  config: Config;
  logger: Logger;
  companyId: number;
  realmId: string;
  /** Stop after this many invoices (the rate is steady, so a minute of it is a fair measure). */
  maxInvoices: number;
}

export interface NaiveRunResult {
  invoicesCreated: number;
  invoiceFailures: number;
  invoiceSeconds: number;
  invoicesPerMinute: number;
  requests: number;
  firstFailure: string | null;
}

type Json = Record<string, unknown>;

class NaiveHttp {
  requests = 0;
  private token: string | null = null;

  constructor(private readonly base: string, private readonly tokens: CompanyTokenSource) {}

  /** One request; a 401 gets one token refresh, anything else is returned as is (a naive client does not retry). */
  async call(method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; json: Json }> {
    this.token ??= await this.tokens.accessToken();
    let res = await this.send(method, path, body);
    if (res.status === 401) {
      this.token = await this.tokens.afterUnauthorized(this.token);
      res = await this.send(method, path, body);
    }
    return { status: res.status, json: (await res.json()) as Json };
  }

  private async send(method: string, path: string, body: string | undefined): Promise<Response> {
    this.requests++;
    const init: RequestInit = { method, headers: { authorization: `Bearer ${this.token ?? ''}`, accept: 'application/json', 'content-type': 'application/json' } };
    if (body !== undefined) init.body = body;
    return fetch(`${this.base}${path}`, init);
  }
}

function query(text: string): string {
  return `/query?query=${encodeURIComponent(text)}&minorversion=75`;
}

/** The invoice body as JSON text, decimals written as they are (never through a float). */
function invoiceBody(source: InvoiceWithLines, customerQboId: string, itemIds: ReadonlyMap<number, string>): string {
  const lines = source.lines.map((l) => {
    const item = l.productId === null ? undefined : itemIds.get(l.productId);
    if (!item) throw new Error(`naive client: no QBO item for line ${l.lineNo} of ${source.invoice.invoiceNo}`);
    return `{"DetailType":"SalesItemLineDetail","Amount":${lineAmount(l.qty, l.unitPrice)},"Description":${JSON.stringify(l.description ?? '')},`
      + `"SalesItemLineDetail":{"ItemRef":{"value":${JSON.stringify(item)}},"Qty":${l.qty},"UnitPrice":${l.unitPrice}}}`;
  });
  const i = source.invoice;
  return `{"DocNumber":${JSON.stringify(i.invoiceNo)},"TxnDate":${JSON.stringify(i.invoiceDate)},`
    + (i.dueDate ? `"DueDate":${JSON.stringify(i.dueDate)},` : '')
    + `"CustomerRef":{"value":${JSON.stringify(customerQboId)}},"Line":[${lines.join(',')}]}`;
}

function entityId(json: Json, entity: string): string {
  const row = json[entity] as { Id?: string } | undefined;
  if (!row?.Id) throw new Error(`naive client: no ${entity} in ${JSON.stringify(json).slice(0, 300)}`);
  return row.Id;
}

export async function runNaiveExport(opts: NaiveRunOptions): Promise<NaiveRunResult> {
  const tokens = new CompanyTokenSource({ connections: connectionStore(opts.db), config: opts.config, companyId: opts.companyId, logger: opts.logger });
  const http = new NaiveHttp(`${opts.config.qbo.apiBase}/v3/company/${opts.realmId}`, tokens);
  const invoices = await listInvoicesToExport(opts.db.kysely, opts.companyId, { limit: opts.maxInvoices }, opts.realmId);

  const accounts = await http.call('GET', query("select * from Account where AccountType = 'Income'"));
  const income = ((accounts.json.QueryResponse as { Account?: Array<{ Id: string; Active?: boolean }> }).Account ?? []).find((a) => a.Active !== false);
  if (!income) throw new Error('naive client: the realm has no income account');

  // Customers and items first, one create each (the naive client does not look for existing ones).
  const customerIds = new Map<number, string>();
  const itemIds = new Map<number, string>();
  for (const { customer, lines } of invoices) {
    if (!customerIds.has(customer.id)) {
      const res = await http.call('POST', `/customer?minorversion=75`, JSON.stringify({ DisplayName: customer.name, CompanyName: customer.name }));
      customerIds.set(customer.id, entityId(res.json, 'Customer'));
    }
    for (const line of lines) {
      if (line.productId === null || itemIds.has(line.productId)) continue;
      const res = await http.call('POST', `/item?minorversion=75`, JSON.stringify({ Name: line.productNo, Type: 'NonInventory', IncomeAccountRef: { value: income.Id } }));
      itemIds.set(line.productId, entityId(res.json, 'Item'));
    }
  }

  let created = 0;
  let failures = 0;
  let firstFailure: string | null = null;
  const started = performance.now();
  for (const source of invoices) {
    const customerQboId = customerIds.get(source.customer.id) ?? '';
    const res = await http.call('POST', `/invoice?minorversion=75&requestid=naive-${source.invoice.id}`, invoiceBody(source, customerQboId, itemIds));
    if (res.status === 200) created++;
    else {
      failures++;
      firstFailure ??= `${source.invoice.invoiceNo}: HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { invoicesCreated: created, invoiceFailures: failures, invoiceSeconds: seconds, invoicesPerMinute: (created / seconds) * 60, requests: http.requests, firstFailure };
}
