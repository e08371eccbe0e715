import { nowIso, type Queryable } from '../erp/queryable.ts';
import type { SweepCursor } from './tables.ts';

export async function getSweepCursor(db: Queryable, companyId: number, realmId: string): Promise<SweepCursor | undefined> {
  return db.selectFrom('qbo_sweep_cursors').selectAll().where('company_id', '=', companyId).where('realm_id', '=', realmId).executeTakeFirst();
}

/** Records a complete sweep: the next one asks QuickBooks for changes since `changedSince` (QBO's clock). */
export async function advanceSweepCursor(db: Queryable, companyId: number, realmId: string, changedSince: string, at: Date = new Date()): Promise<void> {
  await db
    .insertInto('qbo_sweep_cursors')
    .values({ company_id: companyId, realm_id: realmId, changed_since: changedSince, last_sweep_at: nowIso(at), sweeps: 1 })
    .onConflict((oc) =>
      oc.columns(['company_id', 'realm_id']).doUpdateSet((eb) => ({ changed_since: changedSince, last_sweep_at: nowIso(at), sweeps: eb('qbo_sweep_cursors.sweeps', '+', 1) })),
    )
    .execute();
}
