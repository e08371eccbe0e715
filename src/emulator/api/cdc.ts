import type { Realm, Row } from '../realm.ts';
import { faults } from '../wire.ts';
import { entityByName } from './schema.ts';
import { hasLag, visibleRows } from '../behaviour.ts';

export const MAX_PER_ENTITY = 1000;

const updatedAt = (r: Row): number => Date.parse(String((r.MetaData as Row | undefined)?.LastUpdatedTime));

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
    const changed: Row[] = (hasLag(realm, def.name, now) ? visibleRows(realm, def.name, all, now) : [...all]).filter((r) => updatedAt(r) >= since);
    for (const [id, time] of realm.deleted.get(def.name) ?? []) {
      if (Date.parse(time) >= since) changed.push({ domain: 'QBO', status: 'Deleted', Id: id, MetaData: { LastUpdatedTime: time } });
    }
    // At most 1,000 objects per entity (Intuit's CDC page); the oldest changes come first, so a caller
    // that sees a full page asks again from the last LastUpdatedTime it got. The rest is left out without
    // a totalCount: Intuit does not promise one, so callers must not rely on it.
    changed.sort((a, b) => updatedAt(a) - updatedAt(b));
    const rows = changed.slice(0, MAX_PER_ENTITY);
    if (rows.length > 0) responses.push({ [def.name]: rows, startPosition: 1, maxResults: rows.length });
  }
  return { ok: true, body: { CDCResponse: [{ QueryResponse: responses.length > 0 ? responses : [{}] }] } };
}
