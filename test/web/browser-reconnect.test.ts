import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { exportCounts } from '../../src/store/erp/counts.ts';
import { findCompanyByCode } from '../../src/store/erp/companies.ts';
import { browserSkip as skip, startBrowserApp, type BrowserApp } from '../support/browser-app.ts';

/**
 * Issue 12, point 3 in a real browser: the accountant reconnects the company to another QuickBooks company in
 * Intuit's chooser. The pages name both companies and how many customers and products the next export matches or
 * adds in the new books; that export's Process Log entry says the company now exports to other books.
 */
const password = 'browser-reconnect-password';

let session: BrowserApp;
let app: BrowserApp['app'];
let page: Page;

before(async () => {
  if (skip) return;
  session = await startBrowserApp('reconnect', password);
  ({ app, page } = session);
});

after(async () => {
  await session?.close();
});

/** Refresh Token → the emulator's consent page → choose the QuickBooks company → Connect → back on the page. */
async function connectTo(realmId: string): Promise<void> {
  await page.goto(`${app.url}/quickbooks-authentication`);
  await page.getByRole('button', { name: 'Refresh Token' }).click();
  await page.waitForURL(/\/qbo-emulator\/connect\/oauth2/);
  await page.getByLabel('Email').fill('accountant@example.com');
  await page.getByLabel('Password').fill('any password');
  await page.getByLabel('Company').selectOption(realmId);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.waitForURL(/\/quickbooks-authentication$/);
}

void it('a reconnect to other books names both QuickBooks companies, the counts there, and the next run notes it', { timeout: 120_000, skip }, async () => {
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel('Email').fill(app.demo.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/sales-invoice-export$/);
  const company = await findCompanyByCode(app.db.kysely, 'DEMO');
  assert.ok(company);

  const realms = async (name: string) => {
    const res = await fetch(`${app.url}/qbo-emulator/_emulator/realms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    return ((await res.json()) as { realmId: string }).realmId;
  };
  const oldBooks = await realms('Old Books Ltd');
  await connectTo(oldBooks);
  await page.getByText(`QuickBooks connected: Old Books Ltd (company ${oldBooks}).`).waitFor();
  await page.goto(`${app.url}/sales-invoice-export`);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByText(/Export finished/).waitFor({ timeout: 80_000 });
  assert.equal((await exportCounts(app.db.kysely, company.id)).customerExportQty, 0);

  const newBooks = await realms('New Books Inc');
  await connectTo(newBooks);
  const counts = await exportCounts(app.db.kysely, company.id);
  assert.ok(counts.customerExportQty > 0 && counts.productExportQty > 0, 'the new books have none of the ids');
  const said = `This company now exports to other QuickBooks books: New Books Inc (company ${newBooks}), no longer Old Books Ltd (company ${oldBooks}). `
    + `The next export matches by name or adds ${counts.customerExportQty} customers and ${counts.productExportQty} products in New Books Inc (company ${newBooks}).`;
  await page.getByRole('alert').or(page.locator('.flash')).filter({ hasText: said }).first().waitFor();
  assert.match(await page.locator('[data-books-switch]').textContent() ?? '', new RegExp(said.replace(/[().]/g, '\\$&')));
  assert.equal(await page.locator('[data-books]').textContent(), `New Books Inc (company ${newBooks})`);

  await page.goto(`${app.url}/sales-invoice-export`);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByText(/Export finished/).waitFor({ timeout: 80_000 });
  await page.getByRole('link', { name: 'Open its Process Log entry' }).click();
  await page.waitForURL(/\/process-log\/\d+$/);
  // Information is folded on the entry page: the note is there, under the run's information.
  await page.getByText(`Company DEMO now exports to other QuickBooks books: New Books Inc (company ${newBooks}), before Old Books Ltd (company ${oldBooks}).`, { exact: false }).waitFor({ state: 'attached' });
  // Noted once: the QuickBooks Authentication page no longer says it.
  await page.goto(`${app.url}/quickbooks-authentication`);
  assert.equal(await page.locator('[data-books-switch]').count(), 0);
});
