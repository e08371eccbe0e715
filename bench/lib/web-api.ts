import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/store/db.ts';
import { createUser } from '../../src/store/users/repository.ts';
import { createApiToken } from '../../src/store/web/api-tokens.ts';
import { sleep, spawnCli, type RunningChild } from './child.ts';

/** A `qbo-export serve` child process on a port of its own choosing (port 0). */
export interface ServeInstance {
  readonly url: string;
  readonly child: RunningChild;
  /** SIGTERM (graceful close), then waits for the exit. */
  stop(): Promise<void>;
  /** Still running (no crash)? */
  alive(): boolean;
}

export async function startServe(env: Record<string, string>, timeoutMs = 60_000): Promise<ServeInstance> {
  const child = spawnCli(['serve', '--port', '0'], env);
  let exited = false;
  void child.done.then(() => (exited = true));
  let out = '';
  child.process.stdout?.on('data', (d: string) => (out += d));
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!url) {
    url = /web app on (http:\/\/\S+)/.exec(out)?.[1];
    if (url) break;
    if (exited) throw new Error(`serve exited before listening: ${(await child.done).stderr.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error('serve did not print its URL in time');
    await sleep(50);
  }
  const base = url;
  return {
    url: base,
    child,
    alive: () => !exited,
    async stop() {
      if (!exited) child.process.kill('SIGTERM');
      await child.done;
    },
  };
}

/** A user allowed to use the company and a bearer API token acting as that user (as `tokens create` makes). */
export async function provisionApiToken(db: Db, companyId: number): Promise<string> {
  const user = await createUser(db.kysely, `soak-${randomBytes(3).toString('hex')}@example.com`, randomBytes(16).toString('hex'), [companyId]);
  return (await createApiToken(db.kysely, user.id, 'soak')).token;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export async function apiCall(base: string, token: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<ApiAnswer> {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const res = await fetch(`${base}/api${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}
