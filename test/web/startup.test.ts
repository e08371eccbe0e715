import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testAppSecret } from './support.ts';

/**
 * The real `./bin/qbo-export start` and `serve`, spawned, with `/` requested every 10 ms from the moment of the
 * spawn (a user reloading the page while the app starts, a load balancer's health check, a script polling for
 * the port): every answer is the start-up 503 (with Retry-After) or the app itself, never a 5xx of the app, and
 * the process lives on.
 */
const dir = mkdtempSync(join(tmpdir(), 'qbo-startup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

interface Spawned {
  readonly child: ChildProcess;
  readonly output: () => string;
  exited: boolean;
}

function spawnCli(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, ['bin/qbo-export', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const spawned: Spawned = { child, output: () => out, exited: false };
  child.on('exit', () => (spawned.exited = true));
  return spawned;
}

async function stop(s: Spawned): Promise<number | null> {
  if (s.exited) return s.child.exitCode;
  const done = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
  s.child.kill('SIGTERM');
  return done;
}

interface Hammered {
  readonly statuses: Map<number, number>;
  readonly refused: number;
  readonly problems: string[];
}

/**
 * Reloads `/` as a browser would, every 10 ms, until the app has answered for `afterReadyMs`. A 503 must carry
 * Retry-After; anything else must be the app's own answer (its redirect to the export page or sign-in).
 */
async function hammer(base: string, s: Spawned, afterReadyMs: number, limitMs = 120_000): Promise<Hammered> {
  const statuses = new Map<number, number>();
  const problems: string[] = [];
  let refused = 0;
  let readyAt: number | null = null;
  const started = Date.now();
  while (Date.now() - started < limitMs && (readyAt === null || Date.now() - readyAt < afterReadyMs)) {
    assert.equal(s.exited, false, `the process died:\n${s.output()}`);
    try {
      const res = await fetch(`${base}/`, { redirect: 'manual', headers: { accept: 'text/html' }, signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 503) {
        if (!res.headers.get('retry-after')) problems.push('a 503 without Retry-After');
      } else if (res.status === 303 || res.status === 302) {
        readyAt ??= Date.now();
      } else {
        problems.push(`unexpected ${res.status}`);
      }
      if (!res.headers.get('x-content-type-options')) problems.push(`${res.status} without nosniff`);
    } catch (error) {
      // Before the port is bound nothing listens: connection refused. Nothing else is acceptable.
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'ECONNREFUSED') refused += 1;
      else problems.push(`request failed: ${(error as Error).message} (${code ?? 'no code'})`);
    }
    await sleep(10);
  }
  assert.ok(readyAt !== null, `the app never answered:\n${s.output()}`);
  return { statuses, refused, problems };
}

void describe('start-up of the real CLI, reloaded every 10 ms from the spawn', () => {
  void it('`start`: only 503 + Retry-After or the app, never dead; prints the demo password at once and again on the next start', async () => {
    const port = await freePort();
    const env = { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'start', 'app.db')}`, LOG_LEVEL: 'warn' };
    const first = spawnCli(['start'], env);
    try {
      const result = await hammer(`http://127.0.0.1:${port}`, first, 2000);
      assert.deepEqual(result.problems, []);
      console.log(`# start: ${JSON.stringify(Object.fromEntries(result.statuses))}, refused ${result.refused}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      assert.equal(ready.status, 200, await ready.text());
      const password = /Demo sign-in created: demo@example\.com with password (\S+)/.exec(first.output())?.[1];
      assert.ok(password, first.output());
      assert.ok(first.output().indexOf('Demo sign-in created') < first.output().indexOf('qbo-export is running'), 'printed before the app serves');
      assert.equal(readFileSync(join(dir, 'start', 'demo-password.txt'), 'utf8').trim(), password);
      assert.equal(await stop(first), 0);

      const second = spawnCli(['start'], env);
      try {
        await hammer(`http://127.0.0.1:${port}`, second, 200);
        assert.match(second.output(), new RegExp(`Sign in as demo@example\\.com with password ${password}`));
      } finally {
        await stop(second);
      }
    } finally {
      await stop(first);
    }
  });

  void it('`serve`: the same, and it mounts no emulator', async () => {
    const port = await freePort();
    const s = spawnCli(['serve', '--port', String(port)], {
      DATABASE_URL: `sqlite:${join(dir, 'serve', 'app.db')}`, APP_SECRET: testAppSecret, LOG_LEVEL: 'warn', QBO_ENV: 'emulator',
    });
    try {
      const result = await hammer(`http://127.0.0.1:${port}`, s, 1000);
      assert.deepEqual(result.problems, []);
      console.log(`# serve: ${JSON.stringify(Object.fromEntries(result.statuses))}, refused ${result.refused}`);
      assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
      for (const path of ['/qbo-emulator/_emulator/state', '/_emulator/state', '/qbo-emulator/']) {
        assert.equal((await fetch(`http://127.0.0.1:${port}${path}`)).status, 404, path);
      }
      assert.equal(existsSync(join(dir, 'serve', 'demo-password.txt')), false);
    } finally {
      assert.equal(await stop(s), 0);
    }
  });
});
