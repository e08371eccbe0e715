import type { Command } from 'commander';
import type { Config } from '../../config/index.ts';
import { loadDotEnv } from '../../config/index.ts';
import type { Logger } from '../../config/logger.ts';
import type { Db } from '../../store/db.ts';
import { listCompanies } from '../../store/erp/companies.ts';
import { seedDemoData } from '../../store/demo/seed.ts';
import { generatePassword } from '../../store/users/password.ts';
import { createUser, findUserByEmail } from '../../store/users/repository.ts';
import { UserError } from '../context.ts';
import { EMULATOR_PREFIX, launchWebApp, type RunningWebApp } from './serve.ts';
import { untilSignal } from '../../web/server.ts';

export const DEMO_EMAIL = 'demo@example.com';
const DEMO_COMPANY = 'DEMO';

export interface DemoSignIn {
  readonly email: string;
  /** Only on the start that created the user; later starts cannot show it (it is stored hashed). */
  readonly password: string | null;
  readonly created: boolean;
}

/** On an empty database: the demo company, its data and a demo user (whose password is shown once). */
export async function prepareDemo(db: Db, password = generatePassword()): Promise<DemoSignIn> {
  if ((await listCompanies(db.kysely)).length === 0) await seedDemoData(db, { companyCode: DEMO_COMPANY });
  const existing = await findUserByEmail(db.kysely, DEMO_EMAIL);
  if (existing) return { email: DEMO_EMAIL, password: null, created: false };
  // The demo user may use every company there is (the demo's two), so the company switcher has something to do.
  const companies = (await listCompanies(db.kysely)).map((c) => c.id);
  await createUser(db.kysely, DEMO_EMAIL, password, companies);
  return { email: DEMO_EMAIL, password, created: true };
}

/** `npm start`: the web app with the QBO emulator on one port, demo data on first start. */
export async function startWithEmulator(env: NodeJS.ProcessEnv, demoPassword?: string): Promise<RunningWebApp & { demo: DemoSignIn }> {
  let demo: DemoSignIn | undefined;
  const app = await launchWebApp({
    env,
    embedEmulator: true,
    prepare: async (db: Db, _config: Config, _logger: Logger) => {
      demo = await prepareDemo(db, demoPassword);
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
      const app = await startWithEmulator(process.env).catch((error: unknown) => {
        throw error instanceof UserError ? error : new UserError((error as Error).message);
      });
      const { demo } = app;
      console.log(`\nqbo-export is running: ${app.url}/`);
      console.log(`QuickBooks Online emulator: ${app.url}${EMULATOR_PREFIX}/  (its consent page accepts any email and password)`);
      if (demo.password) {
        console.log(`Sign in as ${demo.email} with password ${demo.password}  (shown only this once)`);
      } else {
        console.log(`Sign in as ${demo.email} with the password printed at the first start`);
        console.log(`  (forgot it? echo 'a new password' | qbo-export users add ${demo.email} --company ${DEMO_COMPANY} --password-stdin)`);
      }
      console.log('Then: QuickBooks Authentication → Refresh Token → Connect, and Export. Ctrl-C stops.\n');
      await untilSignal(app.logger);
      await app.close();
    });
}
