import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config/index.ts';
import type { Logger } from '../../src/config/logger.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.ts';
import { beginConnect, completeConnect } from '../../src/qbo/index.ts';
import type { Db } from '../../src/store/db.ts';
import type { DialectName } from '../../src/store/dialect.ts';
import { findCompanyByCode } from '../../src/store/erp/companies.ts';
import { importFile } from '../../src/store/import/importer.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';

export const FIXTURE_APP_SECRET = 'fedcba9876543210'.repeat(4);

/**
 * End-to-end setting for exporter tests: a fresh database of the dialect, an emulator on port 0, the settings
 * that point at both (as the CLI would have them), records loaded through the real import, and the company
 * connected to the emulator's default realm through the real OAuth flow (auto-consent).
 */
export interface ExportFixture {
  readonly db: Db;
  readonly databaseUrl: string;
  readonly dialect: DialectName;
  readonly emulator: RunningEmulator;
  readonly realmId: string;
  readonly config: Config;
  /** Environment for a child `./bin/qbo-export` process. */
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Imports a README import document (all or nothing); throws with the problems. */
  load(doc: object): Promise<void>;
  companyId(code: string): Promise<number>;
  /** Connects the company to the default realm (OAuth code flow against the emulator). */
  connect(code: string, realmId?: string): Promise<void>;
  /** Every row of an entity in the realm, straight from the emulator (GET /_emulator/realms/{id}/entities/{E}). */
  entities<T = Record<string, unknown>>(entity: string, realmId?: string): Promise<T[]>;
  /** POST /_emulator/{path}. */
  control(path: string, body: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export function quietLogger(): Logger {
  return pino({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));
}

export async function createExportFixture(dialect: DialectName, emulatorOptions: EmulatorOptions = {}): Promise<ExportFixture> {
  const testDb: TestDatabase = await createTestDatabase(dialect);
  const emulator = await startEmulator({ port: 0, autoConsent: true, limits: false, ...emulatorOptions });
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: testDb.url,
    // Nothing listens there: the OAuth callback is completed in-process with completeConnect.
    PUBLIC_URL: 'http://127.0.0.1:9',
    QBO_ENV: 'emulator',
    QBO_DISCOVERY_URL: `${emulator.url}/.well-known/openid_sandbox_configuration`,
    QBO_API_BASE: emulator.url,
    APP_SECRET: FIXTURE_APP_SECRET,
    LOG_LEVEL: 'warn',
  };
  const config = loadConfig(env);
  const logger = quietLogger();
  const dir = mkdtempSync(join(tmpdir(), 'qbo-export-fixture-'));
  let docs = 0;
  const db = testDb.db;
  const companyId = async (code: string): Promise<number> => {
    const company = await findCompanyByCode(db.kysely, code);
    if (!company) throw new Error(`no company ${code}`);
    return company.id;
  };

  return {
    db, databaseUrl: testDb.url, dialect, emulator, realmId: emulator.defaultRealmId, config, env, logger,
    async load(doc) {
      const path = join(dir, `doc-${++docs}.json`);
      writeFileSync(path, JSON.stringify(doc));
      const result = await importFile(db, path);
      if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.problems.slice(0, 5))}`);
    },
    companyId,
    async connect(code, realmId) {
      const { authorizeUrl } = await beginConnect({ db, config, companyId: await companyId(code) });
      // A chosen realm: the consent form posted as a user picking that company would.
      const form = new URLSearchParams({ ...Object.fromEntries(new URL(authorizeUrl).searchParams), email: 'demo@example.com', password: 'x', realmId: realmId ?? '' });
      const res = realmId === undefined
        ? await fetch(authorizeUrl, { redirect: 'manual' })
        : await fetch(`${emulator.url}/connect/oauth2`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`);
      const query = Object.fromEntries(new URL(location).searchParams);
      const outcome = await completeConnect({ db, config, logger }, query);
      if (outcome.kind !== 'connected') throw new Error(`connect failed: ${JSON.stringify(outcome)}`);
    },
    async entities<T>(entity: string, realmId?: string) {
      const res = await fetch(`${emulator.url}/_emulator/realms/${realmId ?? emulator.defaultRealmId}/entities/${entity}`);
      if (!res.ok) throw new Error(`entities ${entity} answered ${res.status}`);
      return ((await res.json()) as { rows: T[] }).rows;
    },
    async control(path, body) {
      const res = await fetch(`${emulator.url}/_emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`emulator control ${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as unknown;
    },
    async close() {
      await emulator.close();
      await testDb.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A small company document: customers with tricky names, products of each type, invoices with charges. */
export function sampleDocument(code = 'ACME', settings: Record<string, unknown> = {}): Record<string, unknown[]> {
  return {
    companies: [{ code, name: `${code} Manufacturing`, qbPrimaryCompany: true, settings }],
    customers: [
      { customerNo: 'C-100', name: "O'Brien & Sons", email: 'ap@obrien.example', phone: '+1 555 0100', billingAddress: { line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' } },
      { customerNo: 'C-101', name: 'Café Müller & Söhne', email: 'rechnung@cafe-mueller.example' },
      { customerNo: 'C-102', name: 'Plain Customer Ltd' },
    ],
    products: [
      { company: code, productNo: 'WIDGET-1', description: 'Widget, steel', type: 'NonInventory', unitPrice: '12.50' },
      { company: code, productNo: 'SVC-INSTALL', description: 'Installation', type: 'Service', unitPrice: '80.00' },
      { company: code, productNo: 'STOCK-1', description: 'Stocked part', type: 'Inventory', unitPrice: '19.99' },
    ],
    invoices: [
      invoice(code, 'INV-1001', 'C-100', [{ productNo: 'WIDGET-1', qty: '3', unitPrice: '0.3333' }, { productNo: 'STOCK-1', qty: '7', unitPrice: '19.99' }], { customerPo: 'PO-77' }),
      invoice(code, 'INV-1002', 'C-101', [{ productNo: 'SVC-INSTALL', qty: '1.5', unitPrice: '80.00', description: 'Install on site' }]),
      invoice(code, 'INV-1003', 'C-102', [{ productNo: 'WIDGET-1', qty: '10', unitPrice: '12.50' }]),
    ],
  };
}

export function invoice(
  company: string,
  invoiceNo: string,
  customerNo: string,
  lines: object[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { company, invoiceNo, customerNo, invoiceDate: '2026-11-02', dueDate: '2026-12-02', status: 'approved', transferred: false, lines, ...extra };
}

/** `n` approved invoices over a few customers and products (for fault, resume and kill tests). */
export function manyInvoicesDocument(code: string, n: number, prefix = 'K'): Record<string, unknown[]> {
  const customers = Array.from({ length: 5 }, (_, i) => ({ customerNo: `${prefix}C-${i}`, name: `${prefix} Customer ${i} & Co` }));
  const products = ['P-A', 'P-B', 'P-C'].map((p, i) => ({ company: code, productNo: `${prefix}${p}`, type: i === 2 ? 'Service' : 'NonInventory', unitPrice: '10' }));
  const invoices = Array.from({ length: n }, (_, i) =>
    invoice(code, `${prefix}-${String(i + 1).padStart(4, '0')}`, `${prefix}C-${i % 5}`, [
      { productNo: `${prefix}P-${'ABC'[i % 3] ?? 'A'}`, qty: String(1 + (i % 4)), unitPrice: '19.99' },
      { productNo: `${prefix}P-A`, qty: '3', unitPrice: '0.3333', description: `line for ${i}` },
    ]));
  return { companies: [{ code, name: `${code} Inc`, qbPrimaryCompany: true }], customers, products, invoices };
}

/** Exactly once, checked from both sides: each ERP invoice is in QBO once, transferred, with that QBO id. */
export async function assertExactlyOnce(f: ExportFixture, companyId: number, prefix: string, n: number): Promise<void> {
  const rows = (await f.entities<{ Id: string; DocNumber?: string }>('Invoice')).filter((i) => i.DocNumber?.startsWith(`${prefix}-`));
  const byDoc = new Map<string, string[]>();
  for (const r of rows) byDoc.set(r.DocNumber ?? '', [...(byDoc.get(r.DocNumber ?? '') ?? []), r.Id]);
  const twice = [...byDoc].filter(([, list]) => list.length > 1);
  if (twice.length > 0) throw new Error(`invoices created twice in QBO: ${JSON.stringify(twice)}`);
  if (rows.length !== n) throw new Error(`expected ${n} invoices in QBO, found ${rows.length}`);
  const erp = await f.db.kysely.selectFrom('sales_invoices').select(['invoice_no', 'transferred', 'qbo_invoice_id']).where('company_id', '=', companyId).execute();
  for (const inv of erp) {
    const qbo = byDoc.get(inv.invoice_no)?.[0];
    if (inv.transferred !== 1 || inv.qbo_invoice_id !== qbo) {
      throw new Error(`ERP invoice ${inv.invoice_no}: transferred=${inv.transferred} qbo id ${inv.qbo_invoice_id}, QBO has ${qbo}`);
    }
  }
  for (const entity of ['Customer', 'Item'] as const) {
    const names = (await f.entities<{ DisplayName?: string; Name?: string }>(entity)).map((r) => r.DisplayName ?? r.Name ?? '').filter((x) => x.startsWith(prefix));
    if (new Set(names).size !== names.length) throw new Error(`${entity} created twice: ${names.join(', ')}`);
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `./bin/qbo-export ARGS` against the fixture's database and emulator. `kill` sends SIGKILL `afterMs` after
 * stderr first shows `when` (e.g. the run's "started" log line), so kills land in the work, not in start-up.
 */
export function runCli(f: ExportFixture, args: readonly string[], kill?: { when: RegExp; afterMs: number }, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/qbo-export', ...args], {
      cwd: new URL('../../', import.meta.url),
      env: { ...process.env, ...f.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (kill && !timer && kill.when.test(stderr)) timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
