import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

void describe('qbo-export emulator', () => {
  void it('prints its URL and default realm, serves the API, and stops gracefully on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/qbo-export', 'emulator', '--port', '0', '--no-limits', '--auto-consent', '--client-id', 'cid', '--client-secret', 'cs',
      '--accept-duplicate-doc-numbers', '--requestid-ttl', '30', '--query-lag-ms', '2500'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout });
    const out: string[] = [];
    for await (const line of lines) {
      out.push(line);
      if (out.length === 2) break;
    }
    const url = /listening on (http:\/\/\S+)/.exec(out[0] ?? '')?.[1];
    const realm = /Default realm id: (\d{16})/.exec(out[1] ?? '')?.[1];
    assert.ok(url, out.join('\n'));
    assert.ok(realm);
    const doc = (await (await fetch(`${url}/.well-known/openid_sandbox_configuration`)).json()) as { token_endpoint: string };
    assert.equal(doc.token_endpoint, `${url}/oauth2/v1/tokens/bearer`);
    const badClient = await fetch(`${url}/oauth2/v1/tokens/bearer`, {
      method: 'POST', headers: { authorization: `Basic ${Buffer.from('emulator-client:emulator-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=x',
    });
    assert.equal(badClient.status, 401, 'the --client-id/--client-secret keys replace the defaults');
    const state = (await (await fetch(`${url}/_emulator/state`)).json()) as { realms: Array<{ realmId: string; behaviour: unknown }> };
    assert.deepEqual(state.realms.find((r) => r.realmId === realm)?.behaviour,
      { acceptDuplicateDocNumbers: true, requestIdTtlSeconds: 30, queryLagMs: 2500 }, 'the harsh switches apply to the default realm');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });

  void it('rejects --client-id without --client-secret', async () => {
    const child = spawn(process.execPath, ['bin/qbo-export', 'emulator', '--port', '0', '--client-id', 'cid'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 2);
    assert.match(stderr, /--client-id and --client-secret go together/);
  });
});
