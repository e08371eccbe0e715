import { SeededRandom } from './random.ts';

/**
 * Generated invoice records for the fuzz soak: most valid, some with one or two fields broken in ways users
 * (and their ERP exports) really break them. Each broken record knows which fields are bad, so the checker
 * can demand that every one of them is rejected with a message naming the field.
 */
export interface FuzzRecord {
  raw: Record<string, unknown>;
  /** Field names (last path segment, e.g. `qty`) a rejection must name; empty for a good record. */
  badFields: string[];
  mutations: string[];
  /** Approved and valid: the export must create it in QBO. */
  exportable: boolean;
}

export interface FuzzReferences {
  company: string;
  customerNos: readonly string[];
  productNos: readonly string[];
}

interface Mutation {
  name: string;
  field: string;
  /** Needs the rest of the file to be wrong (a duplicate): not a per-record API case. */
  fileOnly?: boolean;
  apply(raw: Record<string, unknown>, r: SeededRandom, ctx: { earlierGood: string[] }): void;
}

const firstLine = (raw: Record<string, unknown>): Record<string, unknown> => {
  const lines = raw.lines as Array<Record<string, unknown>>;
  const line = lines[0];
  if (!line) throw new Error('fuzz base record has no line');
  return line;
};

const mutations: readonly Mutation[] = [
  { name: 'invoiceNo missing', field: 'invoiceNo', apply: (x) => { delete x.invoiceNo; } },
  { name: 'invoiceNo over 21 characters', field: 'invoiceNo', apply: (x) => { x.invoiceNo = `${String(x.invoiceNo)}-${'X'.repeat(21)}`; } },
  { name: 'invoiceNo not text', field: 'invoiceNo', apply: (x, r) => { x.invoiceNo = r.pick([true, ['INV'], { no: 1 }]); } },
  { name: 'unknown customerNo', field: 'customerNo', apply: (x, r) => { x.customerNo = `NO-SUCH-${r.int(1, 1e6)}`; } },
  { name: 'invoiceDate not a date', field: 'invoiceDate', apply: (x, r) => { x.invoiceDate = r.pick(['2026-02-30', 'yesterday', '2026/11/02', '', '2026-13-01', 20261102]); } },
  { name: 'dueDate not a date', field: 'dueDate', apply: (x, r) => { x.dueDate = r.pick(['2026-04-31', 'next month', '31.12.2026', 7]); } },
  { name: 'status unknown', field: 'status', apply: (x, r) => { x.status = r.pick(['posted', 'void', '', 1, null]); } },
  { name: 'freight not a decimal', field: 'freight', apply: (x, r) => { x.freight = r.pick(['ten', '1.2.3', '12,50', '$5', '-']); } },
  { name: 'orderDiscount not a decimal', field: 'orderDiscount', apply: (x, r) => { x.orderDiscount = r.pick(['5%', 'abc', '1..0']); } },
  { name: 'negative qty', field: 'qty', apply: (x, r) => { firstLine(x).qty = r.pick(['-1', '-0.5', -3]); } },
  { name: 'qty not a decimal', field: 'qty', apply: (x, r) => { firstLine(x).qty = r.pick(['two', '1/2', '', '1,000.5', null]); } },
  { name: 'negative unitPrice', field: 'unitPrice', apply: (x, r) => { firstLine(x).unitPrice = r.pick(['-0.01', '-12.50', -1]); } },
  { name: 'unitPrice not a decimal', field: 'unitPrice', apply: (x, r) => { firstLine(x).unitPrice = r.pick(['abc', '12.5.0', '€3', 'NaN', 'Infinity']); } },
  { name: 'unknown productNo', field: 'productNo', apply: (x, r) => { firstLine(x).productNo = `NO-SUCH-${r.int(1, 1e6)}`; } },
  { name: 'productNo with a colon', field: 'productNo', apply: (x) => { firstLine(x).productNo = 'Parts:Bolts'; } },
  { name: 'line with product and charge', field: 'charge', apply: (x) => { Object.assign(firstLine(x), { charge: 'Setup fee', qboItemName: 'Setup' }); } },
  { name: 'no lines', field: 'lines', apply: (x, r) => { x.lines = r.pick([[], 'none']); } },
  { name: 'unknown field', field: 'colour', apply: (x) => { x.colour = 'red'; } },
  { name: 'currency not a code', field: 'currency', apply: (x, r) => { x.currency = r.pick(['dollars', 'us', '$']); } },
  { name: 'customerPo too long', field: 'customerPo', apply: (x) => { x.customerPo = 'P'.repeat(1001); } },
  { name: 'line description too long', field: 'description', apply: (x) => { firstLine(x).description = 'd'.repeat(4001); } },
  {
    name: 'duplicate invoiceNo', field: 'invoiceNo', fileOnly: true,
    apply: (x, r, ctx) => { x.invoiceNo = ctx.earlierGood.length > 0 ? r.pick(ctx.earlierGood) : 'X'.repeat(30); },
  },
];

const descriptions = ["Widget, steel", "O'Brien's bracket", 'Café crème 500 g', 'Rohr ½" verzinkt', '日本語の説明', 'Tab-free & "quoted"', ''];

function baseRecord(r: SeededRandom, refs: FuzzReferences, invoiceNo: string): Record<string, unknown> {
  const lines = Array.from({ length: r.int(1, 4) }, () => ({
    productNo: r.pick(refs.productNos),
    qty: r.chance(0.2) ? r.int(1, 9) : `${r.int(1, 50)}${r.chance(0.5) ? `.${r.int(0, 99)}` : ''}`,
    unitPrice: r.chance(0.1) ? '0' : `${r.int(0, 999)}.${String(r.int(0, 99)).padStart(2, '0')}`,
    description: r.pick(descriptions),
  }));
  const record: Record<string, unknown> = {
    company: refs.company, invoiceNo, customerNo: r.pick(refs.customerNos),
    invoiceDate: `2026-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
    status: r.chance(0.95) ? 'approved' : 'draft',
    lines,
  };
  if (r.chance(0.5)) record.dueDate = '2026-12-31';
  if (r.chance(0.5)) record.customerPo = `PO ${r.int(1, 99999)}`;
  if (r.chance(0.3)) record.freight = '0';
  return record;
}

export interface FuzzOptions {
  count: number;
  seed: number;
  /** Invoice numbers are `${prefix}${n}`; keep it short (invoiceNo ≤ 21 characters). */
  prefix: string;
  badShare: number;
  /** Leave out mutations that need the whole file (for per-record API calls). */
  perRecord: boolean;
}

export function generateFuzzRecords(refs: FuzzReferences, opts: FuzzOptions): FuzzRecord[] {
  const r = new SeededRandom(opts.seed);
  const usable = mutations.filter((m) => !opts.perRecord || !m.fileOnly);
  const earlierGood: string[] = [];
  const out: FuzzRecord[] = [];
  for (let i = 0; i < opts.count; i++) {
    const raw = baseRecord(r, refs, `${opts.prefix}${i + 1}`);
    if (!r.chance(opts.badShare)) {
      earlierGood.push(String(raw.invoiceNo));
      out.push({ raw, badFields: [], mutations: [], exportable: raw.status === 'approved' });
      continue;
    }
    const chosen = [r.pick(usable)];
    if (r.chance(0.15)) chosen.push(r.pick(usable));
    // One mutation per field; replacing the lines goes last, as the others edit the first line.
    const unique = [...new Map(chosen.map((m) => [m.field, m])).values()].sort((a, b) => Number(a.field === 'lines') - Number(b.field === 'lines'));
    for (const m of unique) m.apply(raw, r, { earlierGood });
    out.push({ raw, badFields: unique.map((m) => m.field), mutations: unique.map((m) => m.name), exportable: false });
  }
  return out;
}
