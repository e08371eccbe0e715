import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../src/emulator/index.ts';
import { authorizationCode, exchangeCode } from '../src/emulator/testing.ts';

/**
 * Emulator throughput: API requests per second with limits off and no latency. The emulator runs in
 * its own process (one core for the server); this process drives it with a bounded number of
 * concurrent keep-alive requests. Usage: `node --import tsx bench/emulator.ts [seconds]`.
 */
const THIS_FILE = fileURLToPath(import.meta.url);
const CONCURRENCY = 32;

async function serve(): Promise<void> {
  const emulator = await startEmulator({ limits: false, autoConsent: true, port: 0 });
  console.log(JSON.stringify({ url: emulator.url, realmId: emulator.defaultRealmId }));
  // The parent asks for our CPU time to compute requests per CPU-second of the server alone.
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.(process.cpuUsage());
  });
  const stop = (): void => void emulator.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE, '--serve'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const parsed = JSON.parse(line) as { url: string };
    lines.close();
    return { child, url: parsed.url };
  }
  throw new Error('emulator process exited before printing its URL');
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One keep-alive request with node:http (lighter than fetch, so the client is not what is measured). */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function serverCpuSeconds(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => {
      const usage = m as NodeJS.CpuUsage;
      resolve((usage.user + usage.system) / 1e6);
    });
    child.send('cpu');
  });
}

interface Rate {
  perSecond: number;
  /** Requests per second of server CPU: what one dedicated core sustains, whatever else runs on the machine. */
  perCpuSecond: number;
}

/** Runs `request` from CONCURRENCY workers for `seconds`; returns completed requests per second. */
async function measure(seconds: number, request: (i: number) => Promise<number>, child?: ChildProcess): Promise<Rate> {
  const cpuBefore = child ? await serverCpuSeconds(child) : 0;
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, worker) => {
    for (let i = worker; performance.now() < deadline; i += CONCURRENCY) {
      const status = await request(i);
      if (status === 200) done++;
      else failed++;
    }
  }));
  if (failed > 0) throw new Error(`${failed} requests failed during the benchmark`);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = child ? (await serverCpuSeconds(child)) - cpuBefore : elapsed;
  return { perSecond: Math.round(done / elapsed), perCpuSecond: Math.round(done / cpu) };
}

export async function runEmulatorBench(seconds = 5): Promise<Record<string, number>> {
  const { child, url } = await startServer();
  try {
    const redirectUri = 'http://localhost:9/cb';
    const cb = await authorizationCode(url, redirectUri);
    const tokens = await exchangeCode(url, cb.searchParams.get('code') ?? '', redirectUri);
    const realm = cb.searchParams.get('realmId') ?? '';
    const headers = { authorization: `Bearer ${String(tokens.access_token)}`, accept: 'application/json', 'content-type': 'application/json' };
    const base = `${url}/v3/company/${realm}`;
    const query = encodeURIComponent("select * from Customer where DisplayName = 'Amy\\'s Bird Sanctuary'");
    // Warm-up so JIT and connection pools are settled before timing.
    await measure(2, () => send(`${base}/customer/1?minorversion=75`, 'GET', headers));
    const reads = await measure(seconds, () => send(`${base}/customer/1?minorversion=75`, 'GET', headers), child);
    const queries = await measure(seconds, () => send(`${base}/query?query=${query}&minorversion=75`, 'GET', headers), child);
    const invoice = (i: number): string => JSON.stringify({
      CustomerRef: { value: '1' }, DocNumber: `B-${i}`,
      Line: [{ DetailType: 'SalesItemLineDetail', Amount: 150, SalesItemLineDetail: { ItemRef: { value: '4' }, Qty: 2, UnitPrice: 75 } }],
    });
    const creates = await measure(seconds, (i) => send(`${base}/invoice?minorversion=75&include=allowduplicatedocnum`, 'POST', headers, invoice(i)), child);
    return {
      readsPerSecond: reads.perSecond, readsPerCpuSecond: reads.perCpuSecond,
      queriesPerSecond: queries.perSecond, queriesPerCpuSecond: queries.perCpuSecond,
      invoiceCreatesPerSecond: creates.perSecond, invoiceCreatesPerCpuSecond: creates.perCpuSecond,
    };
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
  }
}

if (process.argv[1] === THIS_FILE) {
  if (process.argv.includes('--serve')) {
    await serve();
  } else {
    const seconds = Number(process.argv[2] ?? 5);
    const result = await runEmulatorBench(seconds);
    console.log(JSON.stringify(result));
    console.log(`emulator (limits off, no latency, ${CONCURRENCY} concurrent keep-alive requests):`);
    console.log(`  reads          ${result.readsPerSecond} req/s wall, ${result.readsPerCpuSecond} req per server CPU-second`);
    console.log(`  queries        ${result.queriesPerSecond} req/s wall, ${result.queriesPerCpuSecond} req per server CPU-second`);
    console.log(`  invoice create ${result.invoiceCreatesPerSecond} req/s wall, ${result.invoiceCreatesPerCpuSecond} req per server CPU-second`);
  }
}
