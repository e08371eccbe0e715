import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { inTransaction, type Db } from '../db.ts';
import { readCsvRecords } from './csv-source.ts';
import { readJsonRecords } from './json-source.ts';
import { ImportSession, type ImportCounts, type ImportProblem } from './session.ts';
import { SourceError, type RecordBatches } from './sources.ts';

export interface ImportOptions {
  /** Company code for products and invoices that name none (`--company`). */
  defaultCompany?: string;
}

export interface ImportResult {
  file: string;
  /** True when the file was written; false when any problem rolled it back. */
  ok: boolean;
  /** What was written (zero when rolled back). */
  counts: ImportCounts;
  /** The first problems (at most 1000); `problemCount` has them all. */
  problems: ImportProblem[];
  problemCount: number;
  /** Changes to invoices already transferred, not applied (the rest of the file is imported): at most 1000. */
  warnings: ImportProblem[];
  warningCount: number;
  /** Wall time of the import, for the benchmark and the CLI summary. */
  durationMs: number;
}

/** `FILE: <record> <field>: <what is wrong>` — how the CLI lists problems. */
export function formatProblem(file: string, p: ImportProblem): string {
  return `${file}: ${p.record}${p.field ? ` ${p.field}` : ''}: ${p.message}`;
}

class Rollback extends Error {}

const noCounts = (): ImportCounts => ({ companies: 0, customers: 0, products: 0, invoices: 0, creditMemos: 0, lines: 0 });

/**
 * Imports one JSON document or CSV file in one transaction: every record valid, or nothing written.
 * Streams the file, so memory stays bounded whatever its size.
 */
export async function importFile(db: Db, path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const file = basename(path);
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  const source = await sourceFor(path);
  let session: ImportSession | undefined;
  try {
    await db.kysely.transaction().execute(async (trx) => {
      session = new ImportSession(inTransaction(db, trx), options.defaultCompany);
      for await (const batch of source) await session.handle(batch);
      if (session.problemCount > 0) throw new Rollback();
    });
  } catch (error) {
    if (error instanceof SourceError) {
      const earlier = session?.problems ?? [];
      return { file, ok: false, counts: noCounts(), problems: [...earlier, { record: '(file)', field: '', message: error.message }], problemCount: (session?.problemCount ?? 0) + 1, warnings: [], warningCount: 0, durationMs: durationMs() };
    }
    if (!(error instanceof Rollback)) throw error;
  }
  if (!session) throw new Error('import session was not started');
  const ok = session.problemCount === 0;
  return {
    file, ok, counts: ok ? session.counts : noCounts(), problems: session.problems, problemCount: session.problemCount,
    warnings: ok ? session.warnings : [], warningCount: ok ? session.warningCount : 0, durationMs: durationMs(),
  };
}

/** JSON by extension or by a leading `{`; CSV otherwise. */
async function sourceFor(path: string): Promise<RecordBatches> {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return readJsonRecords(path);
  if (ext === '.csv') return readCsvRecords(path);
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(64), position: 0 });
    return buffer.subarray(0, bytesRead).toString('utf8').trimStart().replace(/^\uFEFF/, '').startsWith('{')
      ? readJsonRecords(path)
      : readCsvRecords(path);
  } finally {
    await handle.close();
  }
}
