import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/index.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'qbo-app-secret-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Issue 12, point 6: one secret for every instance. */
void describe('APP_SECRET', () => {
  void it('with PostgreSQL, is required, saying why', () => {
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/x' }), (e: unknown) =>
      e instanceof ConfigError && /APP_SECRET: required with PostgreSQL — every instance .* must use the same one/.test(e.message));
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/x', APP_SECRET: 's'.repeat(32) }).appSecretPrevious, null);
  });

  void it('APP_SECRET_PREVIOUS only beside APP_SECRET', () => {
    assert.throws(() => loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'p', 'x.db')}`, APP_SECRET_PREVIOUS: 'o'.repeat(32) }), ConfigError);
    const config = loadConfig({ APP_SECRET: 'n'.repeat(32), APP_SECRET_PREVIOUS: 'o'.repeat(32) });
    assert.equal(config.appSecretPrevious, 'o'.repeat(32));
  });

  void it('the SQLite secret file made by eight processes at once holds one key, the one they all use', async () => {
    const data = join(dir, 'race');
    const startAt = Date.now() + 1500;
    const children = Array.from({ length: 8 }, () => run(process.execPath, ['--import', 'tsx', 'test/support/app-secret-child.ts'], {
      env: { ...process.env, SECRET_DIR: data, START_AT: String(startAt) },
    }));
    const secrets = (await Promise.all(children)).map((c) => c.stdout.trim());
    assert.equal(new Set(secrets).size, 1, `one key: ${secrets.join(' ')}`);
    assert.match(secrets[0] ?? '', /^[0-9a-f]{64}$/);
    assert.equal(readFileSync(join(data, 'app-secret'), 'utf8').trim(), secrets[0]);
    assert.deepEqual(readdirSync(data), ['app-secret'], 'no temp file left behind');
  });

  void it('the CLI refuses to start on PostgreSQL without it, saying why (exit 2)', async () => {
    const { APP_SECRET: _unset, ...inherited } = process.env;
    const env = { ...inherited, DATABASE_URL: 'postgres://u@127.0.0.1:1/none' };
    const result = await run(process.execPath, ['bin/qbo-export', 'counts', '--company', 'X'], { env }).then(() => null, (e: { code: number; stderr: string }) => e);
    assert.ok(result, 'exits non-zero');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /APP_SECRET: required with PostgreSQL/);
  });
});
