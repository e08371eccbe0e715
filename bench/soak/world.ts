import { scratchPostgres, scratchSqlite, type ScratchDatabase } from '../../test/support/scratch-databases.ts';
import { checkExactlyOnce, type ExactlyOnceReport } from '../lib/exactly-once.ts';
import { seedExportFixture } from '../lib/fixtures.ts';
import { connectCompany, startQboSession, type QboSession } from '../lib/qbo-session.ts';

/**
 * One soak scenario's world: a scratch ERP database with clean invoices, an emulator started here, and the
 * company connected to it. Children (`./bin/qbo-export …`) reach both through `env`.
 */
export interface SoakWorld {
  readonly database: ScratchDatabase;
  readonly session: QboSession;
  readonly companyId: number;
  readonly companyCode: string;
  readonly realmId: string;
  readonly env: Record<string, string>;
  check(): Promise<ExactlyOnceReport>;
  close(): Promise<void>;
}

/**
 * QuickBooks at its harshest (issue 13): duplicate DocNumbers accepted, requestids not remembered, queries lagging
 * behind writes. The exporter's in-doubt window is shortened from QuickBooks' 120 s to `inDoubtSeconds` (still
 * longer than the lag plus the commit delays the scenarios inject), so that a soak takes minutes, not hours.
 */
export const HARSH = { acceptDuplicateDocNumbers: true, requestIdTtlSeconds: 0, queryLagMs: 1_000 } as const;
export const HARSH_COMMIT_DELAY_MS = 3_000;
export const HARSH_IN_DOUBT_SECONDS = 5;

export interface WorldOptions {
  /** Against QuickBooks at its harshest (HARSH) instead of as Intuit documents it. */
  harsh?: boolean;
  invoices: number;
  customers?: number;
  products?: number;
  limits: boolean;
  latencyMs: number;
  postgres?: boolean;
  seed?: number;
}

export async function startSoakWorld(label: string, opts: WorldOptions): Promise<SoakWorld> {
  const database = opts.postgres ? await scratchPostgres(label) : await scratchSqlite(label);
  let session: QboSession | undefined;
  try {
    session = await startQboSession(database.url, { limits: opts.limits, latencyMs: opts.latencyMs, ...(opts.harsh ? HARSH : {}) });
    if (opts.harsh) session.env.QBO_IN_DOUBT_SECONDS = String(HARSH_IN_DOUBT_SECONDS);
    const companyCode = 'SOAK';
    const fixture = await seedExportFixture(database.db, {
      companyCode, invoices: opts.invoices, customers: opts.customers ?? 20, products: opts.products ?? 10, seed: opts.seed ?? 7,
    });
    const realmId = await connectCompany(database.db, session, fixture.companyId);
    const s = session;
    return {
      database, session: s, companyId: fixture.companyId, companyCode, realmId, env: s.env,
      check: () => checkExactlyOnce(database.db, fixture.companyId, s.emulator.url, realmId),
      async close() {
        await s.close();
        await database.destroy();
      },
    };
  } catch (error) {
    await session?.close();
    await database.destroy();
    throw error;
  }
}

export async function transferredCount(world: SoakWorld): Promise<number> {
  const row = await world.database.db.kysely
    .selectFrom('sales_invoices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('company_id', '=', world.companyId)
    .where('transferred', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
