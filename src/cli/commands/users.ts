import type { Command } from 'commander';
import { text } from 'node:stream/consumers';
import { UserError, withContext } from '../context.ts';
import { findCompanyByCode } from '../../store/erp/companies.ts';
import type { Company } from '../../store/erp/tables.ts';
import { InvalidUserInputError } from '../../store/users/errors.ts';
import { generatePassword } from '../../store/users/password.ts';
import { addUserCompanies, createUser, findUserByEmail, setMasterData, setPassword, unlockUser } from '../../store/users/repository.ts';
import { revokeAllApiTokens } from '../../store/web/api-tokens.ts';
import { say } from '../output.ts';

/** `--company A --company B` and `--company A,B` both allowed. */
function collectCodes(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((c) => c.trim()).filter(Boolean)];
}

async function readPasswordFromStdin(): Promise<string> {
  // Only the line break a shell `echo` or here-string adds is dropped; other whitespace is part of the password.
  return (await text(process.stdin)).replace(/\r?\n$/, '');
}

function masterDataNote(masterData: boolean | undefined): string {
  if (masterData === undefined) return '';
  return masterData ? ', with the master-data permission (may create and change customers)' : ', without the master-data permission';
}

export function register(program: Command): void {
  const users = program.command('users').description('sign-ins for the web app');
  users
    .command('add')
    .description('create a sign-in (or allow an existing one more companies); prints a generated password once unless --password-stdin')
    .argument('<email>', 'the sign-in email')
    .requiredOption('--company <code>', 'a company the user may use (repeat or comma-separate for several)', collectCodes, [])
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .option('--master-data', 'may create and change customers (shared by every company) without access to every company')
    .option('--no-master-data', 'take the master-data permission away again')
    .option('--revoke-tokens', "with a new password: also revoke the user's API tokens (they are separate credentials)")
    .action(async (email: string, options: { company: string[]; passwordStdin?: boolean; masterData?: boolean; revokeTokens?: boolean }) => {
      const password = options.passwordStdin ? await readPasswordFromStdin() : undefined;
      await withContext(async ({ db }) => {
        const companies: Company[] = [];
        for (const code of options.company) {
          const company = await findCompanyByCode(db.kysely, code);
          if (!company) throw new UserError(`Unknown company ${code} (import it first: qbo-export import FILE)`);
          companies.push(company);
        }
        if (companies.length === 0) throw new UserError('Name at least one company with --company CODE');
        const ids = companies.map((c) => c.id);
        const codes = companies.map((c) => c.code).join(', ');
        try {
          const existing = await findUserByEmail(db.kysely, email);
          if (existing) {
            await addUserCompanies(db.kysely, existing.id, ids);
            if (options.masterData !== undefined) await setMasterData(db.kysely, existing.id, options.masterData);
            say(`User ${existing.email} may now use ${codes}${masterDataNote(options.masterData)}.`);
            if (password !== undefined) {
              const { endedSessions } = await setPassword(db.kysely, existing.id, password);
              say(`Password changed; ${endedSessions} web session${endedSessions === 1 ? '' : 's'} signed out.`);
              if (options.revokeTokens) {
                const revoked = await revokeAllApiTokens(db.kysely, existing.id);
                say(`${revoked} API token${revoked === 1 ? '' : 's'} revoked.`);
              } else {
                say(`API tokens are separate credentials and stay valid; revoke them with: qbo-export tokens revoke --all --user ${existing.email}`);
              }
            }
            return;
          }
          const chosen = password ?? generatePassword();
          const user = await createUser(db.kysely, email, chosen, ids);
          if (options.masterData) await setMasterData(db.kysely, user.id, true);
          say(`Created user ${user.email} for ${codes}${masterDataNote(options.masterData)}.`);
          if (password === undefined) say(`Password (shown only this once): ${chosen}`);
        } catch (error) {
          if (error instanceof InvalidUserInputError) throw new UserError(error.message);
          throw error;
        }
      });
    });
  users
    .command('unlock')
    .description('let a user locked out by too many wrong passwords sign in again at once (or wait 15 minutes)')
    .argument('<email>', 'the sign-in email')
    .action(async (email: string) => {
      await withContext(async ({ db }) => {
        const user = await findUserByEmail(db.kysely, email);
        if (!user) throw new UserError(`Unknown user ${email}`);
        await unlockUser(db.kysely, user.email);
        say(`${user.email} may sign in again.`);
      });
    });
}
