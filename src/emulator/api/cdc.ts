import type { Realm, Row } from '../realm.ts';
import { faults } from '../wire.ts';
import { entityByName } from './schema.ts';
import { hasLag, visibleRows } from '../behaviour.ts';

/** GET /cdc?entities=…&changedSince=… (docs/qbo-behaviour.md §8.1): changed rows per entity, deleted ones as stubs. */
export function changeDataCapture(realm: Realm, entities: string | undefined, changedSince: string | undefined, now: number): { ok: true; body: Row } | { ok: false; fault: ReturnType<typeof faults.required> } {
  if (!entities) return { ok: false, fault: faults.required('entities', 'entities') };
  if (!changedSince) return { ok: false, fault: faults.required('changedSince', 'changedSince') };
  const since = Date.parse(changedSince);
  if (Number.isNaN(since)) return { ok: false, fault: faults.business(`Invalid changedSince: ${changedSince}`, 'changedSince') };
  if (since < now - 30 * 86_400_000) return { ok: false, fault: faults.business('The changedSince date can not be more than 30 days in the past.', 'changedSince') };
  const responses: Row[] = [];
  for (const name of entities.split(',').map((s) => s.trim()).filter(Boolean)) {
    const def = entityByName(name);
    if (!def) return { ok: false, fault: faults.queryInvalid(`invalid context declaration: ${name}`) };
    const all = realm.entities.get(def.name)?.values() ?? [];
    // Change data capture is a query too: writes still within queryLagMs show as they were.
    const rows: Row[] = (hasLag(realm, def.name, now) ? visibleRows(realm, def.name, all, now) : [...all]).filter(
      (r) => Date.parse(String((r.MetaData as Row | undefined)?.LastUpdatedTime)) >= since,
    );
    for (const [id, time] of realm.deleted.get(def.name) ?? []) {
      if (Date.parse(time) >= since) rows.push({ domain: 'QBO', status: 'Deleted', Id: id, MetaData: { LastUpdatedTime: time } });
    }
    if (rows.length > 0) responses.push({ [def.name]: rows, startPosition: 1, maxResults: rows.length });
  }
  return { ok: true, body: { CDCResponse: [{ QueryResponse: responses.length > 0 ? responses : [{}] }] } };
}
