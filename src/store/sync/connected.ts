import type { Queryable } from '../erp/queryable.ts';

export interface ConnectedCompany {
  companyId: number;
  code: string;
  realmId: string;
}

/** Companies whose QuickBooks connection is usable (the sweep skips those that need a reconnect). */
export async function connectedCompanies(db: Queryable, realmId?: string): Promise<ConnectedCompany[]> {
  let query = db
    .selectFrom('qbo_connections as q')
    .innerJoin('companies as c', 'c.id', 'q.company_id')
    .select(['c.id as companyId', 'c.code as code', 'q.realm_id as realmId'])
    .where('q.needs_reconnect', '=', 0)
    .orderBy('c.id');
  if (realmId !== undefined) query = query.where('q.realm_id', '=', realmId);
  return query.execute();
}
