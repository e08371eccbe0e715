import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startWithEmulator } from '../../src/cli/commands/start.ts';
import { testAppSecret } from '../web/support.ts';

/**
 * `qbo-export start` (app + embedded emulator, demo data) on port 0 with Debian's Chromium driven by
 * playwright-core (never a downloaded browser). CI installs the package (.ci/run); elsewhere a missing browser
 * skips the browser tests with the reason.
 */
export const chromiumPath = '/usr/bin/chromium';
export const browserSkip: string | false = !existsSync(chromiumPath) && !process.env.CI ? `no browser at ${chromiumPath} (apt-get install chromium)` : false;

export interface BrowserApp {
  readonly app: Awaited<ReturnType<typeof startWithEmulator>>;
  readonly browser: Browser;
  readonly page: Page;
  close(): Promise<void>;
}

export async function startBrowserApp(name: string, password: string): Promise<BrowserApp> {
  const dir = mkdtempSync(join(tmpdir(), `qbo-export-${name}-`));
  const app = await startWithEmulator({ DATABASE_URL: `sqlite:${join(dir, 'app.db')}`, APP_SECRET: testAppSecret, LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1' }, password);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  return {
    app, browser, page,
    async close() {
      await browser.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
