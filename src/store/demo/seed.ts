import { inTransaction, type Db } from '../db.ts';
import { findCompanyByCode, upsertCompany } from '../erp/companies.ts';
import type { CustomerRecord, InvoiceLineRecord, InvoiceRecord } from '../erp/records.ts';
import { invoiceKey, productKey, upsertCustomers, upsertInvoices, upsertProducts } from '../erp/upserts.ts';
import { upsertCreditMemos, type CreditMemoRecord } from '../credit-memos/upserts.ts';
import { demoCharges, demoCities, demoCustomerNames, demoProducts } from './catalog.ts';
import { decimalText, pick, seededRandom } from './random.ts';

export interface DemoOptions {
  companyCode?: string;
  seed?: number;
}

export interface DemoSummary {
  /** False when the demo company already existed (nothing was changed). */
  created: boolean;
  companies: string[];
  customers: number;
  products: number;
  invoices: number;
  creditMemos: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Deterministic demo data for `npm start` and tests: the demo company (QuickBooks Primary Company) and a
 * second company `<code>2` (not primary), ~30 shared customers with tricky names (2 inactive), 20 products
 * (NonInventory, Service, 2 Inventory), 100 invoices of the demo company (several lines, line charges posting
 * to demo products, header charges, drafts, a few already transferred) and 10 of the second company, and credit
 * memos of the demo company (see demoCreditMemos).
 */
export async function seedDemoData(db: Db, options: DemoOptions = {}): Promise<DemoSummary> {
  const code = options.companyCode ?? 'DEMO';
  const second = `${code}2`;
  if (await findCompanyByCode(db.kysely, code)) return { created: false, companies: [code], customers: 0, products: 0, invoices: 0, creditMemos: 0 };
  const random = seededRandom(options.seed ?? 20261125);
  return db.kysely.transaction().execute(async (trx) => {
    const main = await upsertCompany(trx, { code, name: 'Demo Manufacturing Inc.', qbPrimaryCompany: true, settings: { nameCollisionPolicy: 'suffix' } });
    const other = await upsertCompany(trx, { code: second, name: 'Demo Services LLC', qbPrimaryCompany: false });

    const customers: CustomerRecord[] = demoCustomerNames.map((name, i) => {
      const [city, region, postalCode] = pick(random, demoCities);
      return {
        customerNo: `${code}-C${String(i + 1).padStart(3, '0')}`,
        name,
        email: i % 4 === 3 ? null : `billing${i + 1}@customer${i + 1}.example`,
        phone: i % 3 === 2 ? null : `+1 555 01${pad(i)}`,
        billingAddress: i % 5 === 4 ? null : { line1: `${100 + i * 7} Main St`, line2: i % 6 === 0 ? `Suite ${i + 1}` : null, city, region, postalCode, country: 'US' },
        active: i !== 20 && i !== 27,
      };
    });
    const customerIds = await upsertCustomers(inTransaction(db, trx), customers);
    const activeIds = customers.filter((c) => c.active).map((c) => customerIds.get(c.customerNo) ?? 0);

    const productIds = await upsertProducts(inTransaction(db, trx), [
      ...demoProducts.map((p) => ({ companyId: main.id, ...p })),
      ...demoProducts.slice(0, 6).map((p) => ({ companyId: other.id, ...p })),
    ]);
    const sellable = demoProducts.filter((p) => !['SETUP-FEE', 'FREIGHT', 'DISCOUNT-ADJ'].includes(p.productNo));

    const invoices = (companyId: number, prefix: string, count: number, productPool: typeof sellable): InvoiceRecord[] =>
      Array.from({ length: count }, (_, i) => {
        const lineCount = 1 + Math.floor(random() * 5);
        const lines: InvoiceLineRecord[] = [];
        for (let l = 0; l < lineCount; l += 1) {
          const product = pick(random, productPool);
          const productId = productIds.get(productKey(companyId, product.productNo)) ?? null;
          lines.push({
            productId, charge: null, qboItemName: null,
            qty: l % 3 === 2 ? decimalText(random, 10, 2) : String(1 + Math.floor(random() * 12)),
            unitPrice: product.unitPrice, description: product.description,
          });
        }
        if (i % 4 === 1 && companyId === main.id) {
          const charge = pick(random, demoCharges);
          lines.push({ productId: null, charge: charge.charge, qboItemName: charge.qboItemName, qty: '1', unitPrice: charge.unitPrice, description: charge.charge });
        }
        const day = 1 + (i % 28);
        const transferred = companyId === main.id && i % 20 === 7;
        return {
          companyId, lines,
          invoiceNo: `${prefix}${1001 + i}`,
          customerId: pick(random, activeIds),
          invoiceDate: `2026-10-${pad(day)}`,
          dueDate: i % 10 === 9 ? null : `2026-11-${pad(day)}`,
          customerPo: i % 3 === 0 ? `PO-${5000 + i}` : null,
          status: i % 8 === 5 ? 'draft' : 'approved',
          transferred,
          transferredAt: transferred ? `2026-10-${pad(day)}T17:00:00.000Z` : null,
          qboInvoiceId: transferred ? `${9000 + i}` : null,
          freight: i % 5 === 0 ? '15.00' : '0',
          handling: i % 7 === 0 ? '4.50' : '0',
          packaging: i % 11 === 0 ? '2.25' : '0',
          orderDiscount: i % 9 === 0 ? '10.00' : '0',
          currency: 'USD',
        };
      });
    const mainInvoices = invoices(main.id, 'INV-', 100, sellable);
    const otherInvoices = invoices(other.id, 'DS-', 10, sellable.filter((p) => productIds.has(productKey(other.id, p.productNo))));
    const invoiceIds = await upsertInvoices(inTransaction(db, trx), [...mainInvoices, ...otherInvoices]);
    const memos = demoCreditMemos(mainInvoices, (no) => invoiceIds.get(invoiceKey(main.id, no)) ?? null);
    await upsertCreditMemos(inTransaction(db, trx), memos);
    return {
      created: true,
      companies: [code, second],
      customers: customers.length,
      products: productIds.size,
      invoices: mainInvoices.length + otherInvoices.length,
      creditMemos: memos.length,
    };
  });
}

/**
 * Three approved credit memos of the demo company, so a newcomer's first export shows them: a partial return
 * applied to the invoice it credits, a credit larger than its invoice (applied up to the invoice's balance, the
 * rest left for the customer), and a goodwill credit that names no invoice; plus a draft that does not qualify.
 */
function demoCreditMemos(invoices: readonly InvoiceRecord[], idOf: (invoiceNo: string) => number | null): CreditMemoRecord[] {
  const approved = invoices.filter((i) => i.status === 'approved' && !i.transferred);
  const memo = (n: number, invoice: InvoiceRecord, over: Partial<CreditMemoRecord>): CreditMemoRecord => ({
    companyId: invoice.companyId, memoNo: `CM-${n}`, customerId: invoice.customerId, memoDate: '2026-11-03', status: 'approved',
    appliesToInvoiceId: idOf(invoice.invoiceNo), freight: '0', handling: '0', packaging: '0', orderDiscount: '0', taxAmount: null,
    lines: [{ ...(invoice.lines?.[0] as InvoiceLineRecord), qty: '1', description: `Return: ${invoice.lines?.[0]?.description ?? 'item'}` }],
    ...over,
  });
  const [returned, overCredited, goodwill, draft] = approved;
  if (!returned || !overCredited || !goodwill || !draft) return [];
  return [
    memo(1, returned, {}),
    memo(2, overCredited, { lines: [{ productId: null, charge: 'Price correction', qboItemName: 'DISCOUNT-ADJ', qty: '1', unitPrice: '99999.00', description: 'Price correction over the invoice total' }] }),
    memo(3, goodwill, { appliesToInvoiceId: null, lines: [{ productId: null, charge: 'Goodwill credit', qboItemName: 'DISCOUNT-ADJ', qty: '1', unitPrice: '25.00', description: 'Goodwill credit' }] }),
    memo(4, draft, { status: 'draft' }),
  ];
}
