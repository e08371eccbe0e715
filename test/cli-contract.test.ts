import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type Db } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { findCompanyByCode } from '../src/store/erp/companies.ts';
import { addRunMessages, createRun } from '../src/store/runs/repository.ts';
import { createSession } from '../src/store/web/sessions.ts';
import { findUserByEmail } from '../src/store/users/repository.ts';

/** The CLI's contract, on the real `./bin/qbo-export`: exit codes, --version, JSON errors and lists, terminal-safe output. */
const dir = mkdtempSync(join(tmpdir(), 'qbo-cli-contract-'));
const databaseUrl = `sqlite:${join(dir, 'cli.db')}`;
let db: Db;

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/qbo-export', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, APP_SECRET: 'k'.repeat(64), LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

// eslint-disable-next-line no-control-regex -- what must never reach a terminal (tab and line feed aside)
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

before(async () => {
  db = openDatabase(databaseUrl);
  await migrateToLatest(db);
});
after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

void describe('qbo-export CLI contract', () => {
  void it('exits 2 on a usage error (never 1, which means "some records failed"), 0 for --version and help', async () => {
    for (const args of [['counts', '--bogus'], ['users', 'add'], ['no-such-command'], ['export'], ['log', '--run']]) {
      const run = await cli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /error:/, args.join(' '));
    }
    const version = await cli(['--version']);
    assert.equal(version.code, 0);
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
    assert.equal((await cli(['--help'])).code, 0);
  });

  void it('with --json, errors are one JSON document on stdout with the same exit codes', async () => {
    const usage = await cli(['counts', '--company', 'X', '--json', '--bogus']);
    assert.equal(usage.code, 2);
    const body = JSON.parse(usage.stdout) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'USAGE');
    assert.match(body.error.message, /unknown option '--bogus'/);
    assert.equal(usage.stderr, '');
    const missing = await cli(['export', '--json']);
    assert.equal(missing.code, 2);
    assert.equal((JSON.parse(missing.stdout) as { error: { code: string } }).error.code, 'USAGE');
    const unknown = await cli(['log', '--company', 'NOPE', '--json']);
    assert.equal(unknown.code, 2);
    assert.deepEqual(JSON.parse(unknown.stdout), { error: { code: 'COULD_NOT_RUN', message: 'Company NOPE not found.' } });
  });

  void it('import refuses control characters naming record and field; no output carries a raw control character', async () => {
    const file = join(dir, 'evil.json');
    writeFileSync(file, JSON.stringify({
      companies: [{ code: 'EVIL', name: 'Evil Co' }],
      customers: [{ customerNo: 'C-\u001b[31m', name: 'Bell\u0007Corp' }, { customerNo: 'C-2', name: 'Fine' }],
    }));
    const run = await cli(['import', file]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /evil\.json: customers\[0\] C-\\x1b\[31m customerNo: contains a control character \(U\+001B\)/);
    assert.match(run.stderr, /customers\[0\] C-\\x1b\[31m name: contains a control character \(U\+0007\)/);
    assert.doesNotMatch(run.stdout + run.stderr, RAW_CONTROL);
  });

  void it('log shows stored control characters as escapes, in text and JSON; every list prints one named array', async () => {
    const ok = await cli(['import', writeGood()]);
    assert.equal(ok.code, 0, ok.stderr);
    const company = await findCompanyByCode(db.kysely, 'GOOD');
    assert.ok(company);
    // Text that reached the database before this check existed (or from elsewhere) must still print safely.
    const runId = await createRun(db.kysely, { companyId: company.id, startedBy: 'cli:\u001b]0;owned\u0007', dryRun: false });
    await addRunMessages(db.kysely, runId, [{ level: 'error', recordKind: 'customer', recordKey: 'C-1', qboCode: null, message: 'Customer Evil\u001b[2J\u0000\u009b\u007f failed', at: new Date().toISOString() }]);
    const text = await cli(['log', '--run', String(runId)]);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, RAW_CONTROL);
    assert.match(text.stdout, /Customer Evil\\x1b\[2J\\x00\\x9b\\x7f failed/);
    const list = await cli(['log', '--json']);
    assert.doesNotMatch(list.stdout, RAW_CONTROL);
    const { runs } = JSON.parse(list.stdout) as { runs: Array<{ id: number; startedBy: string }> };
    assert.equal(runs.find((r) => r.id === runId)?.startedBy, 'cli:\u001b]0;owned\u0007');
    await cli(['users', 'add', 'lister@example.com', '--company', 'GOOD']);
    const tokens = await cli(['tokens', 'list', '--user', 'lister@example.com', '--json']);
    assert.deepEqual(JSON.parse(tokens.stdout), { tokens: [] });
  });

  void it('users add with a new password signs out every web session and says what happens to API tokens; unlock and --master-data', async () => {
    await cli(['users', 'add', 'pat@example.com', '--company', 'GOOD', '--master-data']);
    const user = await findUserByEmail(db.kysely, 'pat@example.com');
    assert.equal(user?.master_data, 1);
    await createSession(db.kysely, user.id);
    await createSession(db.kysely, user.id);
    const changed = await cli(['users', 'add', 'pat@example.com', '--company', 'GOOD', '--password-stdin'], 'another password 1\n');
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /Password changed; 2 web sessions signed out\./);
    assert.match(changed.stdout, /API tokens are separate credentials and stay valid; revoke them with: qbo-export tokens revoke --all --user pat@example\.com/);
    const sessions = await db.kysely.selectFrom('web_sessions').select('id_hash').where('user_id', '=', user.id).execute();
    assert.deepEqual(sessions, []);
    await cli(['tokens', 'create', '--user', 'pat@example.com']);
    const revoked = await cli(['users', 'add', 'pat@example.com', '--company', 'GOOD', '--password-stdin', '--revoke-tokens'], 'third password 12\n');
    assert.match(revoked.stdout, /1 API token revoked\./);
    await db.kysely.insertInto('sign_in_attempts').values({ key: 'account:pat@example.com', attempts: 5, last_at: new Date().toISOString() }).execute();
    const unlocked = await cli(['users', 'unlock', 'PAT@example.com']);
    assert.equal(unlocked.code, 0, unlocked.stderr);
    assert.deepEqual(await db.kysely.selectFrom('sign_in_attempts').select('key').where('key', '=', 'account:pat@example.com').execute(), []);
  });
});

function writeGood(): string {
  const file = join(dir, 'good.json');
  writeFileSync(file, JSON.stringify({ companies: [{ code: 'GOOD', name: 'Good Co' }], customers: [{ customerNo: 'C-1', name: 'Fine' }] }));
  return file;
}
