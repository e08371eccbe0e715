import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { decimalText, seededRandom } from './random.ts';

/** Volume data in the README import shape, for the benchmark and tests. Deterministic for a seed. */
export interface VolumeOptions {
  invoices: number;
  linesPerInvoice?: number;
  customers?: number;
  products?: number;
  seed?: number;
  companyCode?: string;
  /** Prefix of invoice numbers, so that several documents can be loaded side by side. */
  invoicePrefix?: string;
}

type Doc = Record<string, unknown>;

function resolved(o: VolumeOptions) {
  return {
    invoices: o.invoices,
    linesPerInvoice: o.linesPerInvoice ?? 3,
    customers: o.customers ?? Math.max(1, Math.min(1000, Math.ceil(o.invoices / 10))),
    products: o.products ?? 100,
    seed: o.seed ?? 1,
    companyCode: o.companyCode ?? 'BULK',
    invoicePrefix: o.invoicePrefix ?? 'V',
  };
}

const customerNo = (i: number) => `VC-${String(i).padStart(6, '0')}`;
const productNo = (i: number) => `VP-${String(i).padStart(5, '0')}`;

function* records(options: VolumeOptions): Generator<{ section: 'companies' | 'customers' | 'products' | 'invoices'; value: Doc }> {
  const o = resolved(options);
  const random = seededRandom(o.seed);
  yield { section: 'companies', value: { code: o.companyCode, name: `${o.companyCode} Volume Co`, qbPrimaryCompany: true } };
  for (let i = 0; i < o.customers; i += 1) {
    yield {
      section: 'customers',
      value: {
        customerNo: customerNo(i), name: `Volume Customer ${i}`, email: `ap${i}@customer.example`, phone: '+1 555 0100',
        billingAddress: { line1: `${i} Main St`, city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
      },
    };
  }
  for (let i = 0; i < o.products; i += 1) {
    yield {
      section: 'products',
      value: { company: o.companyCode, productNo: productNo(i), description: `Volume product ${i}`, type: i % 5 === 0 ? 'Service' : 'NonInventory', unitPrice: decimalText(random, 500, 2) },
    };
  }
  for (let i = 0; i < o.invoices; i += 1) {
    const lines: Doc[] = [];
    for (let l = 0; l < o.linesPerInvoice; l += 1) {
      const qty = decimalText(random, 20, l % 2);
      const unitPrice = decimalText(random, 300, 2);
      lines.push(l === 2 && i % 4 === 0
        ? { charge: 'Setup fee', qboItemName: productNo(0), qty: '1', unitPrice }
        : { productNo: productNo(Math.floor(random() * o.products)), qty, unitPrice, description: `Line ${l + 1}` });
    }
    const day = 1 + (i % 28);
    yield {
      section: 'invoices',
      value: {
        company: o.companyCode, invoiceNo: `${o.invoicePrefix}${String(i).padStart(8, '0')}`,
        customerNo: customerNo(Math.floor(random() * o.customers)), invoiceDate: `2026-10-${String(day).padStart(2, '0')}`,
        dueDate: `2026-11-${String(day).padStart(2, '0')}`, customerPo: `PO-${i}`, status: i % 10 === 0 ? 'draft' : 'approved',
        freight: i % 3 === 0 ? '15.00' : '0', handling: '0', packaging: '0', orderDiscount: '0', lines,
      },
    };
  }
}

/** The whole document in memory: for small volumes (tests). */
export function generateImportDocument(options: VolumeOptions): Record<'companies' | 'customers' | 'products' | 'invoices', Doc[]> {
  const doc = { companies: [] as Doc[], customers: [] as Doc[], products: [] as Doc[], invoices: [] as Doc[] };
  for (const { section, value } of records(options)) doc[section].push(value);
  return doc;
}

/** Writes the document record by record (bounded memory, for 100,000 invoices and more). */
export async function writeImportDocument(path: string, options: VolumeOptions): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let section: string | null = null;
  let first = true;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('{');
  for (const record of records(options)) {
    if (record.section !== section) {
      await write(`${section === null ? '' : '],'}\n"${record.section}":[`);
      section = record.section;
      first = true;
    }
    await write(`${first ? '' : ','}\n${JSON.stringify(record.value)}`);
    first = false;
  }
  await write(']}\n');
  out.end();
  await once(out, 'finish');
}
