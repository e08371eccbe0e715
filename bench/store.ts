/**
 * Store benchmark (issue 2): the seed's export counts on 1,000,000 invoices and 100,000 customers on SQLite
 * and PostgreSQL, and the import of 100,000 invoices (300,000 lines) on SQLite in a child process.
 * Run alone with `node --import tsx bench/store.ts`; `npm run bench` calls `runStoreBench()`.
 * `STORE_BENCH=import` (or `counts`) runs one part only, e.g. to profile the import without loading 1M rows.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/store/schema.ts';
import type { DialectName } from '../src/store/dialect.ts';
import { upsertCompany } from '../src/store/erp/companies.ts';
import { countCustomersToExport, countInvoicesToExport, countProductsToExport, exportCounts } from '../src/store/erp/counts.ts';
import { writeImportDocument } from '../src/store/demo/volume.ts';
import { cliNodeFlags, cliPath } from './lib/child.ts';
import { createTestDatabase, dialects } from '../test/support/databases.ts';

const invoiceCount = 1_000_000;
const customerCount = 100_000;
const productCount = 30_000;
const runs = 9;

/** Rows 1…n as `n(i)`: a recursive CTE in SQLite, generate_series in PostgreSQL. */
function numbers(dialect: DialectName, n: number) {
  return dialect === 'postgres'
    ? { with: sql``, from: sql`generate_series(1, ${sql.lit(n)}) as n(i)` }
    : { with: sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${sql.lit(n)})`, from: sql`n` };
}

/**
 * Realistic shape: most history is transferred, a few percent waits for export. Company 1 (primary) holds 60%
 * of the invoices; 60% of customers have a Financial System Customer ID (an id in B1's books, realm R1), 30% a
 * Secondary one (an id in B2's books, realm R2), 5% are inactive; 70% of products have an id in their company's books.
 */
async function load(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  await upsertCompany(db, { code: 'B1', name: 'Bench primary', qbPrimaryCompany: true });
  await upsertCompany(db, { code: 'B2', name: 'Bench secondary', qbPrimaryCompany: false });
  await upsertCompany(db, { code: 'B3', name: 'Bench third', qbPrimaryCompany: false });
  await sql`update companies set qbo_realm_id = 'R' || id`.execute(db);
  const at = sql.lit('2026-01-01T00:00:00.000Z');
  let n = numbers(dialect, customerCount);
  await sql`${n.with} insert into customers (customer_no, name, active, updated_at)
    select 'BC-' || i, 'Bench Customer ' || i, case when i % 20 = 0 then 0 else 1 end, ${at} from ${n.from}`.execute(db);
  await sql`insert into qbo_ids (realm_id, kind, record_id, qbo_id, updated_at)
    select 'R1', 'customer', id, 'Q' || id, ${at} from customers where id % 10 < 6`.execute(db);
  await sql`insert into qbo_ids (realm_id, kind, record_id, qbo_id, updated_at)
    select 'R2', 'customer', id, 'S' || id, ${at} from customers where id % 10 < 3`.execute(db);
  n = numbers(dialect, productCount);
  await sql`${n.with} insert into products (company_id, product_no, type, unit_price, updated_at)
    select (i % 3) + 1, 'BP-' || i, 'NonInventory', '9.99', ${at} from ${n.from}`.execute(db);
  await sql`insert into qbo_ids (realm_id, kind, record_id, qbo_id, updated_at)
    select 'R' || company_id, 'product', id, 'I' || id, ${at} from products where id % 10 < 7`.execute(db);
  n = numbers(dialect, invoiceCount);
  await sql`${n.with} insert into sales_invoices (company_id, invoice_no, customer_id, invoice_date, status, transferred, transferred_at, updated_at)
    select case when i % 5 < 3 then 1 when i % 5 = 3 then 2 else 3 end, 'B' || i, (i % ${sql.lit(customerCount)}) + 1, '2026-01-01',
      case when i % 10 = 0 then 'draft' else 'approved' end,
      case when i % 10 = 0 or i % 50 = 1 then 0 else 1 end,
      case when i % 10 = 0 or i % 50 = 1 then null else ${at} end, ${at} from ${n.from}`.execute(db);
  await sql.raw(dialect === 'postgres' ? 'vacuum analyze' : 'analyze').execute(db);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timeMedian(body: () => Promise<unknown>): Promise<number> {
  await body(); // warm the cache and the statement
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await body();
    times.push(performance.now() - start);
  }
  return Math.round(median(times) * 100) / 100;
}

async function benchCounts(dialect: DialectName, out: Record<string, number>): Promise<void> {
  const testDb = await createTestDatabase(dialect);
  try {
    const db = testDb.db.kysely;
    const loadStart = performance.now();
    await load(db, dialect);
    out[`${dialect}.load.s`] = Math.round(performance.now() - loadStart) / 1000;
    out[`${dialect}.count.productExportQty.ms`] = await timeMedian(() => countProductsToExport(db, 1, 'R1'));
    out[`${dialect}.count.customerExportQty.primary.ms`] = await timeMedian(() => countCustomersToExport(db, 'R1'));
    out[`${dialect}.count.customerExportQty.secondary.ms`] = await timeMedian(() => countCustomersToExport(db, 'R2'));
    out[`${dialect}.count.invoiceExportQty.ms`] = await timeMedian(() => countInvoicesToExport(db, 1));
    out[`${dialect}.exportCounts.all3.ms`] = await timeMedian(() => exportCounts(db, 1));
    const counts = await exportCounts(db, 1);
    out[`${dialect}.check.invoiceExportQty`] = counts.invoiceExportQty;
    out[`${dialect}.check.customerExportQty`] = counts.customerExportQty;
  } finally {
    await testDb.destroy();
  }
}

interface ChildRun { code: number | null; stdout: string; stderr: string; wallMs: number }

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - start }));
  });
}

/**
 * Imports 100,000 invoices with `./bin/qbo-export import` (with its Node flags; compiled when `dist/` is current)
 * in a child process; max RSS from /usr/bin/time -v.
 */
async function benchImport(out: Record<string, number>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qbo-bench-import-'));
  try {
    const file = join(dir, 'volume.json');
    await writeImportDocument(file, { invoices: 100_000, linesPerInvoice: 3, customers: 10_000, products: 1_000, seed: 11 });
    const env = { DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`, APP_SECRET: 'b'.repeat(64), LOG_LEVEL: 'warn' };
    // Migrate first so that the measured run is the import alone.
    await run(process.execPath, [...cliNodeFlags, cliPath, 'migrate'], env);
    const timed = existsSync('/usr/bin/time');
    const result = timed
      ? await run('/usr/bin/time', ['-v', process.execPath, ...cliNodeFlags, cliPath, 'import', file, '--json'], env)
      : await run(process.execPath, [...cliNodeFlags, cliPath, 'import', file, '--json'], env);
    if (result.code !== 0) throw new Error(`import failed (${result.code}): ${result.stderr.slice(0, 2000)}`);
    const parsed = JSON.parse(result.stdout) as { results: Array<{ durationMs: number; counts: { invoices: number; lines: number } }> };
    const first = parsed.results[0];
    if (!first) throw new Error('import printed no result');
    out['sqlite.import.invoices'] = first.counts.invoices;
    out['sqlite.import.lines'] = first.counts.lines;
    out['sqlite.import.s'] = first.durationMs / 1000;
    out['sqlite.import.invoicesPerSecond'] = Math.round(first.counts.invoices / (first.durationMs / 1000));
    out['sqlite.import.processWall.s'] = Math.round(result.wallMs) / 1000;
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1];
    out['sqlite.import.peakRss.MB'] = rss ? Math.round(Number(rss) / 1024) : Number.NaN;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runStoreBench(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const only = process.env.STORE_BENCH;
  if (only !== 'import') for (const dialect of dialects) await benchCounts(dialect, out);
  if (only !== 'counts') await benchImport(out);
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await runStoreBench();
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(48)} ${value}`);
}
