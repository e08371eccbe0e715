import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { qboClientForCompany } from '../../src/qbo/index.ts';
import { SqlConnectionStore } from '../../src/store/connections/store.ts';
import { exportCounts } from '../../src/store/erp/counts.ts';
import { findCompanyByCode } from '../../src/store/erp/companies.ts';
import { listInvoicesWithState } from '../../src/sync/index.ts';
import { browserSkip as skip, startBrowserApp, type BrowserApp } from '../support/browser-app.ts';

/**
 * The seed's whole procedure in a real browser against `qbo-export start` (app + embedded emulator) on port 0:
 * sign in → export page with its counts → slide menu → QuickBooks Authentication → Refresh Token → the
 * emulator's consent page → Connect → back → Export → progress → the Process Log entry.
 */
const shots = join(process.cwd(), 'artifacts', 'screenshots');
const password = 'browser-test-password';

let session: BrowserApp;
let app: BrowserApp['app'];
let page: Page;

before(async () => {
  if (skip) return;
  mkdirSync(shots, { recursive: true });
  session = await startBrowserApp('browser', password);
  ({ app, page } = session);
});

after(async () => {
  await session?.close();
});

const shot = (name: string, fullPage = true) => page.screenshot({ path: join(shots, `${name}.png`), fullPage });

void it('walks the Sales Invoice Export procedure in Chromium', { timeout: 100_000, skip }, async () => {
  assert.equal(app.demo.created, true);
  await page.goto(`${app.url}/`);
  assert.match(page.url(), /\/sign-in/);
  await shot('01-sign-in');
  await page.getByLabel('Email').fill(app.demo.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/sales-invoice-export$/);

  const company = await findCompanyByCode(app.db.kysely, 'DEMO');
  assert.ok(company);
  const counts = await exportCounts(app.db.kysely, company.id);
  assert.ok(counts.invoiceExportQty > 0);
  assert.equal(await page.getByLabel('Product Export Qty').textContent(), String(counts.productExportQty));
  assert.equal(await page.getByLabel('Customer Export Qty').textContent(), String(counts.customerExportQty));
  assert.equal(await page.getByLabel('Invoice Export Qty').textContent(), String(counts.invoiceExportQty));
  assert.equal(await page.getByLabel('Credit Memo Export Qty').textContent(), String(counts.creditMemoExportQty));
  assert.equal(await page.locator('output#company').textContent(), 'Demo Manufacturing Inc. (DEMO)');
  await page.getByText('QuickBooks: Not connected').waitFor();
  await shot('02-export-page');

  // The slide menu: the arrow at the top right.
  await page.getByRole('navigation', { name: 'Main menu' }).waitFor({ state: 'hidden' });
  await page.locator('summary[aria-label="Menu"]').click();
  await page.getByRole('navigation', { name: 'Main menu' }).waitFor();
  await shot('03-slide-menu');
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'QuickBooks Authentication' }).click();
  await page.waitForURL(/\/quickbooks-authentication$/);
  await shot('04-quickbooks-authentication');

  await page.getByRole('button', { name: 'Refresh Token' }).click();
  await page.waitForURL(/\/qbo-emulator\/connect\/oauth2/);
  await page.getByLabel('Password').fill('any password');
  await shot('05-consent');
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.waitForURL(/\/quickbooks-authentication$/);
  await page.getByText(/QuickBooks connected: .*\(company \d+\)/).waitFor();
  await page.getByText('QuickBooks: Connected').waitFor();
  await shot('06-connected');

  await page.locator('summary[aria-label="Menu"]').click();
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Sales Invoice Export' }).click();
  await page.waitForURL(/\/sales-invoice-export$/);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.waitForURL(/\/sales-invoice-export\/runs\/\d+$/);
  // The live progress bar, fed by the run's server-sent events.
  await page.getByText(/^(Customers|Products|Invoices): \d+ of \d+$/).waitFor({ timeout: 20_000 });
  await shot('07-progress');
  await page.getByText(/Export finished/).waitFor({ timeout: 80_000 });
  // The demo's credit memos (issue 16): three approved, two of them applied to the invoices they credit.
  await page.getByText('3 created, 0 already in QuickBooks, 0 failed, 2 applied').waitFor();
  await shot('08-finished');
  await page.getByRole('link', { name: 'Open its Process Log entry' }).click();
  await page.waitForURL(/\/process-log\/\d+$/);
  await page.getByRole('heading', { name: /Sales Invoice Exporter/ }).waitFor();
  await shot('09-process-log-entry');
  const status = await page.locator('dd .status-succeeded, dd .status-partial, dd .status-failed').first().textContent();
  assert.ok(status === 'Succeeded' || status === 'Partial', `run status ${status ?? 'none'}`);

  const after = await exportCounts(app.db.kysely, company.id);
  assert.equal(after.invoiceExportQty, 0, 'every approved invoice went to QuickBooks');
  assert.equal(after.creditMemoExportQty, 0, 'every approved credit memo went to QuickBooks');
  await page.goto(`${app.url}/sales-invoice-export`);
  assert.equal(await page.getByLabel('Invoice Export Qty').textContent(), '0');
  await shot('10-export-page-after');
  await page.goto(`${app.url}/process-log`);
  await page.getByRole('link', { name: 'Sales Invoice Exporter' }).first().waitFor();
  await shot('11-process-log');
  await page.goto(`${app.url}/setup`);
  await page.getByLabel('QuickBooks Primary Company').waitFor();
  await shot('12-setup');

  // QuickBooks back to the ERP (issue 14): a QuickBooks user pays one invoice and voids another through the
  // embedded emulator's Accounting API; its signed webhooks bring the states to the Invoices page.
  const qbo = await qboClientForCompany({ connections: SqlConnectionStore.of(app.db), config: app.config, companyId: company.id, logger: app.logger });
  // Two invoices no demo credit memo was applied to (QuickBooks refuses to void an invoice a credit paid).
  const untouched = [];
  for (const r of (await listInvoicesWithState(app.db.kysely, company.id)).filter((i) => i.transferred && i.qboInvoiceId)) {
    const q = await qbo.read('Invoice', r.qboInvoiceId ?? '');
    if (String(q.Balance) === String(q.TotalAmt)) untouched.push(r);
    if (untouched.length === 2) break;
  }
  const [paid, voided] = untouched;
  assert.ok(paid?.qboInvoiceId && voided?.qboInvoiceId, 'two transferred invoices');
  const paidQbo = await qbo.read('Invoice', paid.qboInvoiceId);
  await qbo.create('Payment', {
    CustomerRef: { value: paidQbo.CustomerRef?.value ?? '' }, TotalAmt: String(paidQbo.Balance),
    Line: [{ Amount: String(paidQbo.Balance), LinkedTxn: [{ TxnId: paid.qboInvoiceId, TxnType: 'Invoice' }] }],
  }, { requestId: 'browser-pay' });
  const voidedQbo = await qbo.read('Invoice', voided.qboInvoiceId);
  const [voidAnswer] = await qbo.batch([{ bId: 'v', operation: 'update', entity: 'Invoice', body: { Id: voidedQbo.Id, SyncToken: voidedQbo.SyncToken, sparse: true }, optionsData: 'void' }], { requestId: 'browser-void' });
  assert.ok(voidAnswer && !('error' in voidAnswer), JSON.stringify(voidAnswer));
  await page.locator('summary[aria-label="Menu"]').click();
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Invoices' }).click();
  await page.waitForURL(/\/invoices$/);
  const badge = (no: string) => page.locator(`tr[data-invoice="${no}"] [data-qbo-status]`);
  const shows = async (no: string, state: string) => (await badge(no).count()) > 0 && (await badge(no).textContent()) === state;
  for (let i = 0; i < 50 && !((await shows(paid.invoiceNo, 'Paid')) && (await shows(voided.invoiceNo, 'Voided'))); i++) {
    await new Promise((r) => setTimeout(r, 200));
    await page.reload();
  }
  assert.equal(await badge(paid.invoiceNo).textContent(), 'Paid');
  assert.equal(await badge(voided.invoiceNo).textContent(), 'Voided');
  await shot('13-invoices', false);
  await page.locator('a[data-filter="voided"]').click();
  await page.waitForURL(/status=voided/);
  assert.equal(await page.locator('tbody tr').count(), 1, 'the filter shows the voided invoice alone');
  // Exporting a voided invoice again is an explicit, confirmed choice.
  await page.getByLabel(`I want ${voided.invoiceNo} exported to QuickBooks again`).check();
  await page.getByRole('button', { name: 'Export again' }).click();
  await page.getByText(`${voided.invoiceNo} will be exported again by the next export.`).waitFor();
  assert.equal((await exportCounts(app.db.kysely, company.id)).invoiceExportQty, 1);
  await shot('14-invoices-reexport');

  // The company switcher sets the current company.
  await page.goto(`${app.url}/sales-invoice-export`);
  await page.getByLabel('Company', { exact: true }).first().selectOption({ label: 'Demo Services LLC (DEMO2)' });
  await page.getByRole('button', { name: 'Switch' }).click();
  await page.waitForURL(/\/sales-invoice-export$/);
  assert.equal(await page.locator('output#company').textContent(), 'Demo Services LLC (DEMO2)');
  await shot('15-second-company');
});
