import { inTransaction, type Db } from '../../src/store/db.ts';
import { upsertCompany } from '../../src/store/erp/companies.ts';
import type { CustomerRecord, InvoiceRecord, ProductRecord } from '../../src/store/erp/records.ts';
import { productKey, upsertCustomers, upsertInvoices, upsertProducts } from '../../src/store/erp/upserts.ts';
import { SeededRandom } from './random.ts';

/**
 * Clean, valid ERP data for throughput and soak runs: every invoice can be exported, so any failure or
 * missing invoice is the exporter's, not the data's. Names carry the characters QBO queries must escape.
 */
export interface ExportFixture {
  companyCode: string;
  customers: number;
  products: number;
  invoices: number;
  seed?: number;
  /** Makes customer numbers and names unique when two companies of one database get fixtures. */
  customerPrefix?: string;
  /** Invoice numbers are `${invoicePrefix}${n}` (≤ 21 characters). */
  invoicePrefix?: string;
}

export interface SeededFixture {
  companyId: number;
  invoiceNos: string[];
}

const nameStems = ["O'Brien & Sons", 'Café Müller', 'Acme 100%', 'Back\\slash Works', 'Nordic Ångström', 'Smith-Jones', 'Zoë Ltd'];
const CHUNK = 5_000;

export async function seedExportFixture(db: Db, f: ExportFixture): Promise<SeededFixture> {
  const random = new SeededRandom(f.seed ?? 42);
  const cp = f.customerPrefix ?? '';
  const ip = f.invoicePrefix ?? 'INV-';
  const company = await upsertCompany(db.kysely, { code: f.companyCode, name: `Bench ${f.companyCode}`, qbPrimaryCompany: true });

  const customers: CustomerRecord[] = Array.from({ length: f.customers }, (_, i) => ({
    customerNo: `${cp}C-${i + 1}`,
    name: `${random.pick(nameStems)} ${cp}${i + 1}`,
    email: `ap${i + 1}@example.com`,
    phone: `+1 555 ${String(1000 + i).slice(-4)}`,
    billingAddress: { line1: `${i + 1} Main St`, line2: null, city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
    active: true,
  }));
  const customerIds = await upsertCustomers(db, customers);

  const products: ProductRecord[] = Array.from({ length: f.products }, (_, i) => ({
    companyId: company.id,
    productNo: `P-${i + 1}`,
    description: `Product ${i + 1}`,
    type: i % 4 === 3 ? 'Service' : 'NonInventory',
    unitPrice: random.decimal(200, 2),
  }));
  const productIds = await upsertProducts(db, products);

  const invoiceNos: string[] = [];
  for (let start = 0; start < f.invoices; start += CHUNK) {
    const batch: InvoiceRecord[] = [];
    for (let i = start; i < Math.min(f.invoices, start + CHUNK); i++) {
      const invoiceNo = `${ip}${i + 1}`;
      invoiceNos.push(invoiceNo);
      const customerId = customerIds.get(`${cp}C-${random.int(1, f.customers)}`);
      if (customerId === undefined) throw new Error('fixture customer missing');
      const lines = Array.from({ length: random.int(1, 5) }, () => {
        const n = random.int(1, f.products);
        const productId = productIds.get(productKey(company.id, `P-${n}`));
        if (productId === undefined) throw new Error('fixture product missing');
        return { productId, charge: null, qboItemName: null, qty: random.chance(0.5) ? String(random.int(1, 20)) : `${random.int(1, 20)}.${String(random.int(0, 99)).padStart(2, '0')}`, unitPrice: random.decimal(500, 2), description: `Line of P-${n}` };
      });
      batch.push({
        companyId: company.id, invoiceNo, customerId, invoiceDate: '2026-11-02', dueDate: '2026-12-02', customerPo: `PO-${i + 1}`,
        status: 'approved', transferred: false, transferredAt: null, qboInvoiceId: null,
        freight: '0', handling: '0', packaging: '0', orderDiscount: '0', currency: 'USD', lines,
      });
    }
    await db.kysely.transaction().execute((trx) => upsertInvoices(inTransaction(db, trx), batch));
  }
  return { companyId: company.id, invoiceNos };
}
