import type { Command } from 'commander';
import { text } from 'node:stream/consumers';
import { UserError, withContext } from '../context.ts';
import { findCompanyByCode } from '../../store/erp/companies.ts';
import type { Company } from '../../store/erp/tables.ts';
import { InvalidUserInputError } from '../../store/users/errors.ts';
import { generatePassword } from '../../store/users/password.ts';
import { addUserCompanies, createUser, findUserByEmail, setPassword } from '../../store/users/repository.ts';

/** `--company A --company B` and `--company A,B` both allowed. */
function collectCodes(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((c) => c.trim()).filter(Boolean)];
}

async function readPasswordFromStdin(): Promise<string> {
  // Only the line break a shell `echo` or here-string adds is dropped; other whitespace is part of the password.
  return (await text(process.stdin)).replace(/\r?\n$/, '');
}

export function register(program: Command): void {
  const users = program.command('users').description('sign-ins for the web app');
  users
    .command('add')
    .description('create a sign-in (or allow an existing one more companies); prints a generated password once unless --password-stdin')
    .argument('<email>', 'the sign-in email')
    .requiredOption('--company <code>', 'a company the user may use (repeat or comma-separate for several)', collectCodes, [])
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(async (email: string, options: { company: string[]; passwordStdin?: boolean }) => {
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
            if (password !== undefined) await setPassword(db.kysely, existing.id, password);
            console.log(`User ${existing.email} may now use ${codes}${password !== undefined ? '; password changed' : ''}.`);
            return;
          }
          const chosen = password ?? generatePassword();
          const user = await createUser(db.kysely, email, chosen, ids);
          console.log(`Created user ${user.email} for ${codes}.`);
          if (password === undefined) console.log(`Password (shown only this once): ${chosen}`);
        } catch (error) {
          if (error instanceof InvalidUserInputError) throw new UserError(error.message);
          throw error;
        }
      });
    });
}
