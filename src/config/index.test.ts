import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'qbo-config-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const secret = 'x'.repeat(32);

void describe('settings', () => {
  void it('has the documented defaults', () => {
    const config = loadConfig({ APP_SECRET: secret });
    assert.equal(config.databaseUrl, 'sqlite:./data/qbo-export.db');
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicUrl, 'http://127.0.0.1:3000');
    assert.equal(config.qbo.redirectUri, 'http://127.0.0.1:3000/qbo/callback');
    assert.equal(config.qbo.env, 'emulator');
    assert.equal(config.qbo.clientId, 'emulator-client');
    assert.equal(config.qbo.apiBase, 'http://127.0.0.1:4100');
    assert.equal(config.qbo.discoveryUrl, 'http://127.0.0.1:4100/.well-known/openid_sandbox_configuration');
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.qbo));
  });

  void it('defaults QBO_ENV to sandbox when a client id is set, with Intuit URLs', () => {
    const config = loadConfig({ APP_SECRET: secret, QBO_CLIENT_ID: 'abc', QBO_CLIENT_SECRET: 'def' });
    assert.equal(config.qbo.env, 'sandbox');
    assert.equal(config.qbo.apiBase, 'https://sandbox-quickbooks.api.intuit.com');
    assert.equal(config.qbo.discoveryUrl, 'https://developer.api.intuit.com/.well-known/openid_sandbox_configuration');
    const production = loadConfig({ APP_SECRET: secret, QBO_ENV: 'production', QBO_CLIENT_ID: 'abc', QBO_CLIENT_SECRET: 'def' });
    assert.equal(production.qbo.apiBase, 'https://quickbooks.api.intuit.com');
    const emulator = loadConfig({ APP_SECRET: secret, QBO_ENV: 'emulator', QBO_CLIENT_ID: 'abc' });
    assert.equal(emulator.qbo.env, 'emulator');
  });

  void it('uses PUBLIC_URL for the redirect URI and takes explicit URLs', () => {
    const config = loadConfig({
      APP_SECRET: secret, PUBLIC_URL: 'https://export.example.com/', QBO_API_BASE: 'http://127.0.0.1:4999/', PORT: '8080',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.qbo.redirectUri, 'https://export.example.com/qbo/callback');
    assert.equal(config.qbo.apiBase, 'http://127.0.0.1:4999');
  });

  void it('reports every bad variable at once, with what was expected', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', PUBLIC_URL: 'not a url', QBO_ENV: 'staging', APP_SECRET: 'short', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError);
    const text = error.problems.join('\n');
    for (const name of ['DATABASE_URL', 'PORT', 'PUBLIC_URL', 'QBO_ENV', 'APP_SECRET', 'LOG_LEVEL']) assert.match(text, new RegExp(`^${name}:`, 'm'));
    assert.match(text, /sqlite:PATH or postgres/);
    assert.match(text, /at least 32 characters/);
  });

  void it('requires the app keys outside the emulator', () => {
    assert.throws(() => loadConfig({ APP_SECRET: secret, QBO_ENV: 'sandbox' }), (e: unknown) =>
      e instanceof ConfigError && /QBO_CLIENT_ID and QBO_CLIENT_SECRET/.test(e.message));
  });

  void it('generates APP_SECRET into the data folder once when absent', () => {
    const url = `sqlite:${join(dir, 'db', 'x.db')}`;
    const first = loadConfig({ DATABASE_URL: url });
    const file = join(dir, 'db', 'app-secret');
    assert.ok(existsSync(file));
    assert.match(first.appSecret, /^[0-9a-f]{64}$/);
    assert.equal(readFileSync(file, 'utf8').trim(), first.appSecret);
    assert.equal(loadConfig({ DATABASE_URL: url }).appSecret, first.appSecret);
  });
});
