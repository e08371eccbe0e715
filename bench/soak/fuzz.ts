import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJsonOutput, runCli } from '../lib/child.ts';
import { listEmulatorRows } from '../lib/exactly-once.ts';
import { generateFuzzRecords, type FuzzRecord, type FuzzReferences } from '../lib/fuzz.ts';
import { apiCall, provisionApiToken, startServe } from '../lib/web-api.ts';
import { startSoakWorld } from './world.ts';

/**
 * Generated invoice records with random bad fields, through both doors: `qbo-export import FILE` (files of
 * 1,000 records; a file with a bad record must write nothing) and the REST API (one record per call). No
 * crash, every bad record rejected naming its field, and after an export exactly the good approved ones in QBO.
 */
export interface FuzzSoakOptions {
  /** Records in all: half through the import, half through the API. */
  records: number;
  seed: number;
  badShare: number;
}

export interface DoorResult {
  records: number;
  bad: number;
  /** Bad records rejected with a message naming one of their bad fields. */
  rejectedNamingField: number;
  /** … naming every one of their bad fields. */
  rejectedNamingEveryField: number;
  /** Bad records not rejected at all, or rejected without naming a bad field (first few). */
  misses: Array<{ record: string; mutations: string[]; problems: unknown }>;
  /** Good records that were refused (first few). */
  goodRefused: Array<{ record: string; problems: unknown }>;
  /** Answers a user must never see: a 5xx, a crash, a non-JSON answer. */
  crashes: number;
}

export interface FuzzSoakResult {
  import: DoorResult & { partialWrites: number };
  api: DoorResult;
  exportExit: number | null;
  expectedInQbo: number;
  inQbo: number;
  badInQbo: number;
  seconds: number;
  passed: boolean;
}

interface Problem {
  record?: string;
  field?: string;
  message?: string;
}

const FILE_SIZE = 1_000;

function names(problems: readonly Problem[], field: string): boolean {
  return problems.some((p) => `${p.field ?? ''} ${p.message ?? ''}`.includes(field));
}

function emptyDoor(records: number): DoorResult {
  return { records, bad: 0, rejectedNamingField: 0, rejectedNamingEveryField: 0, misses: [], goodRefused: [], crashes: 0 };
}

function judge(door: DoorResult, record: FuzzRecord, label: string, problems: readonly Problem[] | null): void {
  if (record.badFields.length === 0) {
    if (problems && problems.length > 0 && door.goodRefused.length < 5) door.goodRefused.push({ record: label, problems });
    return;
  }
  door.bad++;
  const found = problems ?? [];
  if (record.badFields.some((f) => names(found, f))) door.rejectedNamingField++;
  else if (door.misses.length < 5) door.misses.push({ record: label, mutations: record.mutations, problems });
  if (record.badFields.every((f) => names(found, f))) door.rejectedNamingEveryField++;
}

async function throughImport(world: Awaited<ReturnType<typeof startSoakWorld>>, refs: FuzzReferences, opts: FuzzSoakOptions, dir: string) {
  const count = Math.ceil(opts.records / 2);
  const door = { ...emptyDoor(count), partialWrites: 0 };
  const good: FuzzRecord[] = [];
  for (let start = 0, file = 0; start < count; start += FILE_SIZE, file++) {
    const records = generateFuzzRecords(refs, { count: Math.min(FILE_SIZE, count - start), seed: opts.seed + file, prefix: `F${file}-`, badShare: opts.badShare, perRecord: false });
    const path = join(dir, `fuzz-${file}.json`);
    writeFileSync(path, JSON.stringify({ invoices: records.map((r) => r.raw) }));
    const result = await runCli(['import', path, '--json'], world.env);
    const out = parseJsonOutput<{ results: Array<{ ok: boolean; problems: Problem[]; problemCount: number; counts: { invoices: number } }> }>(result.stdout);
    const first = out?.results[0];
    if (!first || result.code === null || result.code > 1) {
      door.crashes++;
      continue;
    }
    const byIndex = new Map<number, Problem[]>();
    for (const p of first.problems) {
      const index = /invoices\[(\d+)\]/.exec(p.record ?? '')?.[1];
      if (index !== undefined) byIndex.set(Number(index), [...(byIndex.get(Number(index)) ?? []), p]);
    }
    records.forEach((r, i) => judge(door, r, `${path} invoices[${i}]`, byIndex.get(i) ?? null));
    good.push(...records.filter((r) => r.badFields.length === 0));
    if (records.some((r) => r.badFields.length > 0) && (first.ok || first.counts.invoices > 0)) door.partialWrites++;
  }
  const written = await world.database.db.kysely.selectFrom('sales_invoices').select((eb) => eb.fn.countAll<number>().as('n')).where('invoice_no', 'like', 'F%').executeTakeFirstOrThrow();
  door.partialWrites += Number(written.n);
  // The good ones alone, as a user would import them after fixing the file.
  const goodPath = join(dir, 'fuzz-good.json');
  writeFileSync(goodPath, JSON.stringify({ invoices: good.map((r) => r.raw) }));
  const result = await runCli(['import', goodPath, '--json'], world.env);
  const out = parseJsonOutput<{ results: Array<{ ok: boolean; problems: Problem[] }> }>(result.stdout);
  if (!out?.results[0]?.ok) door.goodRefused.push({ record: goodPath, problems: out?.results[0]?.problems.slice(0, 5) ?? result.stderr.slice(-500) });
  return { door, good };
}

async function throughApi(world: Awaited<ReturnType<typeof startSoakWorld>>, refs: FuzzReferences, opts: FuzzSoakOptions) {
  const count = Math.floor(opts.records / 2);
  const door = emptyDoor(count);
  const records = generateFuzzRecords(refs, { count, seed: opts.seed + 1_000, prefix: 'A-', badShare: opts.badShare, perRecord: true });
  const serve = await startServe(world.env);
  try {
    const token = await provisionApiToken(world.database.db, world.companyId);
    let next = 0;
    const worker = async () => {
      while (next < records.length) {
        const i = next++;
        const record = records[i];
        if (!record) continue;
        const answer = await apiCall(serve.url, token, 'POST', `/companies/${refs.company}/invoices`, [record.raw]).catch(() => null);
        if (!answer || answer.status >= 500 || typeof answer.body !== 'object') {
          door.crashes++;
          continue;
        }
        const problems = answer.status === 200 ? null : ((answer.body as { error?: { problems?: Problem[] } }).error?.problems ?? [{ message: JSON.stringify(answer.body) }]);
        judge(door, record, `API invoices #${i + 1}`, problems);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    if (!serve.alive()) door.crashes++;
  } finally {
    await serve.stop();
  }
  return { door, good: records.filter((r) => r.badFields.length === 0) };
}

export async function runFuzzSoak(opts: FuzzSoakOptions): Promise<FuzzSoakResult> {
  const started = Date.now();
  const world = await startSoakWorld('soak-fuzz', { invoices: 0, customers: 50, products: 20, limits: false, latencyMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'qbo-export-fuzz-'));
  try {
    const refs: FuzzReferences = {
      company: world.companyCode,
      customerNos: Array.from({ length: 50 }, (_, i) => `C-${i + 1}`),
      productNos: Array.from({ length: 20 }, (_, i) => `P-${i + 1}`),
    };
    const viaImport = await throughImport(world, refs, opts, dir);
    const viaApi = await throughApi(world, refs, opts);
    const exported = await runCli(['export', '--company', world.companyCode, '--json'], world.env);
    const expected = new Set([...viaImport.good, ...viaApi.good].filter((r) => r.exportable).map((r) => String(r.raw.invoiceNo)));
    const qbo = (await listEmulatorRows(world.session.emulator.url, world.realmId, 'Invoice')).map((r) => r.DocNumber ?? '');
    const inQbo = qbo.filter((d) => expected.has(d)).length;
    const badInQbo = qbo.filter((d) => /^(F\d+-|A-)/.test(d) && !expected.has(d)).length;
    const imp = { ...viaImport.door };
    const api = viaApi.door;
    const doorOk = (d: DoorResult) => d.crashes === 0 && d.rejectedNamingField === d.bad && d.goodRefused.length === 0;
    return {
      import: imp, api, exportExit: exported.code, expectedInQbo: expected.size, inQbo, badInQbo,
      seconds: (Date.now() - started) / 1000,
      passed: doorOk(imp) && imp.partialWrites === 0 && doorOk(api) && exported.code === 0 && inQbo === expected.size && badInQbo === 0 && qbo.length === new Set(qbo).size,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await world.close();
  }
}
