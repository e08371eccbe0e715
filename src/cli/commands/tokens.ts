import type { Command } from 'commander';
import { UserError, exitCode, withContext } from '../context.ts';
import { findUserByEmail } from '../../store/users/repository.ts';
import { createApiToken, listApiTokens, revokeAllApiTokens, revokeApiToken } from '../../store/web/api-tokens.ts';
import type { Db } from '../../store/db.ts';
import { printJson, say } from '../output.ts';

async function userIdOf(db: Db, email: string): Promise<number> {
  const user = await findUserByEmail(db.kysely, email);
  if (!user) throw new UserError(`Unknown user ${email} (create it with: qbo-export users add ${email} --company CODE)`);
  return user.id;
}

/** `qbo-export tokens create|list|revoke`: bearer tokens for the REST API (stored hashed, shown once). */
export function register(program: Command): void {
  const tokens = program.command('tokens').description('API tokens for the REST API (/api)');
  tokens
    .command('create')
    .description('make a bearer token acting as the user; it is printed once and stored only as a hash')
    .requiredOption('--user <email>', 'the user the token acts as (sees only that user\'s companies)')
    .option('--name <name>', 'what the token is for, e.g. "nightly ERP sync"')
    .option('--master-data', 'the token may create and change customers (shared by every company) even if its user may not')
    .option('--json', 'print {"id", "token"} as JSON')
    .action(async (options: { user: string; name?: string; masterData?: boolean; json?: boolean }) => {
      await withContext(async ({ db }) => {
        const { id, token } = await createApiToken(db.kysely, await userIdOf(db, options.user), options.name ?? null, new Date(), { masterData: Boolean(options.masterData) });
        if (options.json) printJson({ id, token });
        else say(`API token ${id} for ${options.user} (shown only this once; send it as "Authorization: Bearer <token>"):\n${token}`);
      });
    });
  tokens
    .command('list')
    .description("the user's tokens (prefix only)")
    .requiredOption('--user <email>', 'whose tokens')
    .option('--json', 'print JSON')
    .action(async (options: { user: string; json?: boolean }) => {
      await withContext(async ({ db }) => {
        const list = await listApiTokens(db.kysely, await userIdOf(db, options.user));
        if (options.json) return printJson({ tokens: list });
        if (list.length === 0) return say(`No API tokens for ${options.user}.`);
        for (const t of list) {
          say(`${t.id}\t${t.prefix}…\t${t.name ?? ''}\tcreated ${t.createdAt}\tlast used ${t.lastUsedAt ?? 'never'}${t.masterData ? '\tmaster data' : ''}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ''}`);
        }
      });
    });
  tokens
    .command('revoke')
    .description('revoke a token by its id, or every token of the user with --all')
    .argument('[id]', 'token id (see tokens list)')
    .requiredOption('--user <email>', 'whose token')
    .option('--all', "revoke every active token of the user (e.g. after a password change)")
    .action(async (id: string | undefined, options: { user: string; all?: boolean }) => {
      await withContext(async ({ db }) => {
        if (options.all) {
          const revoked = await revokeAllApiTokens(db.kysely, await userIdOf(db, options.user));
          say(`${revoked} API token${revoked === 1 ? '' : 's'} of ${options.user} revoked.`);
          return;
        }
        if (id === undefined) throw new UserError('Name the token id to revoke, or --all.', exitCode.usage, 'USAGE');
        const done = await revokeApiToken(db.kysely, await userIdOf(db, options.user), Number(id));
        if (!done) throw new UserError(`No active token ${id} for ${options.user}`);
        say(`Token ${id} revoked.`);
      });
    });
}
