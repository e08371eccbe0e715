import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/index.ts';
import { loadDotEnv } from '../../config/index.ts';
import type { Logger } from '../../config/logger.ts';
import type { Db } from '../../store/db.ts';
import { listCompanies } from '../../store/erp/companies.ts';
import { seedDemoData } from '../../store/demo/seed.ts';
import { generatePassword } from '../../store/users/password.ts';
import { createUser, findUserByEmail, verifyUser } from '../../store/users/repository.ts';
import { UserError } from '../context.ts';
import { EMULATOR_PREFIX, launchWebApp, type RunningWebApp } from './serve.ts';
import { untilSignal } from '../../web/server.ts';
import { say } from '../output.ts';

export const DEMO_EMAIL = 'demo@example.com';
const DEMO_COMPANY = 'DEMO';

export interface DemoSignIn {
  readonly email: string;
  /** The demo password while it is still the generated one (kept in DEMO_PASSWORD_FILE); null once changed. */
  readonly password: string | null;
  readonly created: boolean;
}

/** Beside the database (and the generated app-secret): the demo's generated password, readable by its owner only. */
export const DEMO_PASSWORD_FILE = 'demo-password.txt';

/**
 * On an empty database: the demo company, its data and a demo user. The generated password is printed at once
 * (before the app takes requests, so nothing that happens later can lose it) and kept in the data folder, so
 * every later start shows it again until someone sets another one (then the file is removed).
 */
export async function prepareDemo(db: Db, dataDir: string, password = generatePassword(), say: (line: string) => void = () => undefined): Promise<DemoSignIn> {
  if ((await listCompanies(db.kysely)).length === 0) await seedDemoData(db, { companyCode: DEMO_COMPANY });
  const file = join(dataDir, DEMO_PASSWORD_FILE);
  const existing = await findUserByEmail(db.kysely, DEMO_EMAIL);
  if (existing) {
    const kept = existsSync(file) ? readFileSync(file, 'utf8').replace(/\n$/, '') : null;
    if (kept !== null && (await verifyUser(db.kysely, DEMO_EMAIL, kept))) return { email: DEMO_EMAIL, password: kept, created: false };
    if (kept !== null) rmSync(file, { force: true });
    return { email: DEMO_EMAIL, password: null, created: false };
  }
  // The demo user may use every company there is (the demo's two), so the company switcher has something to do.
  const companies = (await listCompanies(db.kysely)).map((c) => c.id);
  await createUser(db.kysely, DEMO_EMAIL, password, companies);
  if (dataDir !== '') {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
  }
  say(`Demo sign-in created: ${DEMO_EMAIL} with password ${password}  (also kept in ${file} until you change it)`);
  return { email: DEMO_EMAIL, password, created: true };
}

/** `npm start`: the web app with the QBO emulator on one port, demo data on first start. */
export async function startWithEmulator(
  env: NodeJS.ProcessEnv,
  demoPassword?: string,
  say: (line: string) => void = () => undefined,
): Promise<RunningWebApp & { demo: DemoSignIn }> {
  let demo: DemoSignIn | undefined;
  const app = await launchWebApp({
    env,
    embedEmulator: true,
    prepare: async (db: Db, config: Config, _logger: Logger) => {
      demo = await prepareDemo(db, config.dataDir, demoPassword, say);
    },
  });
  if (!demo) throw new Error('demo preparation did not run');
  return { ...app, demo };
}

export function register(program: Command): void {
  program
    .command('start')
    .description('web app + embedded QuickBooks emulator on one port (PORT, default 3000); demo data and user on first start')
    .action(async () => {
      loadDotEnv();
      const app = await startWithEmulator(process.env, undefined, (line) => say(line)).catch((error: unknown) => {
        throw error instanceof UserError ? error : new UserError((error as Error).message);
      });
      const { demo } = app;
      say(`\nqbo-export is running: ${app.url}/`);
      say(`QuickBooks Online emulator: ${app.url}${EMULATOR_PREFIX}/  (its consent page accepts any email and password)`);
      if (demo.password) {
        say(`Sign in as ${demo.email} with password ${demo.password}`);
      } else {
        say(`Sign in as ${demo.email} with the password you set`);
        say(`  (forgot it? echo 'a new password' | qbo-export users add ${demo.email} --company ${DEMO_COMPANY} --password-stdin)`);
      }
      say('Then: QuickBooks Authentication → Refresh Token → Connect, and Export. Ctrl-C stops.\n');
      await untilSignal(app.logger);
      await app.close();
    });
}
