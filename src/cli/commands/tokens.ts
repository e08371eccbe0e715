import type { Command } from 'commander';
import { UserError, withContext } from '../context.ts';
import { findUserByEmail } from '../../store/users/repository.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../store/web/api-tokens.ts';
import type { Db } from '../../store/db.ts';

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
    .option('--json', 'print {"id", "token"} as JSON')
    .action(async (options: { user: string; name?: string; json?: boolean }) => {
      await withContext(async ({ db }) => {
        const { id, token } = await createApiToken(db.kysely, await userIdOf(db, options.user), options.name ?? null);
        if (options.json) console.log(JSON.stringify({ id, token }));
        else console.log(`API token ${id} for ${options.user} (shown only this once; send it as "Authorization: Bearer <token>"):\n${token}`);
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
        if (options.json) return console.log(JSON.stringify({ tokens: list }));
        if (list.length === 0) return console.log(`No API tokens for ${options.user}.`);
        for (const t of list) {
          console.log(`${t.id}\t${t.prefix}…\t${t.name ?? ''}\tcreated ${t.createdAt}\tlast used ${t.lastUsedAt ?? 'never'}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ''}`);
        }
      });
    });
  tokens
    .command('revoke')
    .description('revoke a token by its id')
    .argument('<id>', 'token id (see tokens list)')
    .requiredOption('--user <email>', 'whose token')
    .action(async (id: string, options: { user: string }) => {
      await withContext(async ({ db }) => {
        const done = await revokeApiToken(db.kysely, await userIdOf(db, options.user), Number(id));
        if (!done) throw new UserError(`No active token ${id} for ${options.user}`);
        console.log(`Token ${id} revoked.`);
      });
    });
}
