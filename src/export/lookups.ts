import { select } from '../qbo/query.ts';
import type { EntityOf } from '../qbo/entities.ts';
import type { QboClient } from '../qbo/types.ts';
import { nameKey } from './names.ts';

/**
 * Look-ups of QBO records by their natural keys, many keys per query (`IN`), so matching 1,000 customers costs
 * a few dozen requests, not 1,000. `Active IN (true,false)`: QBO hides inactive name-list rows otherwise
 * (docs/qbo-behaviour.md §5.1), and an inactive row still owns its name.
 */
type Keyed = 'Customer' | 'Vendor' | 'Employee' | 'Item' | 'Invoice' | 'CreditMemo';
const keyField = { Customer: 'DisplayName', Vendor: 'DisplayName', Employee: 'DisplayName', Item: 'Name', Invoice: 'DocNumber', CreditMemo: 'DocNumber' } as const;

/** Keys per query: few enough that the URL stays short (Intuit gateways and our emulator cap it). */
function chunks(keys: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const key of keys) {
    if (current.length > 0 && (current.length >= 30 || length + key.length > 1500)) {
      out.push(current);
      current = [];
      length = 0;
    }
    current.push(key);
    length += key.length + 4;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function keyOf(entity: Keyed, row: EntityOf<Keyed>): string | undefined {
  const value = (row as Record<string, unknown>)[keyField[entity]];
  return typeof value === 'string' ? value : undefined;
}

/** Rows by `nameKey` of their key (names compare case-insensitively in QBO). */
export async function findByKeys<E extends Keyed>(client: QboClient, entity: E, keys: Iterable<string>): Promise<Map<string, EntityOf<E>[]>> {
  const unique = [...new Map([...keys].map((k) => [nameKey(k), k])).values()];
  const found = new Map<string, EntityOf<E>[]>();
  for (const chunk of chunks(unique)) {
    let query = select(entity).where(keyField[entity], 'IN', chunk);
    // Transactions have no Active flag; only name-list rows hide when inactive.
    if (keyField[entity] !== 'DocNumber') query = query.and('Active', 'IN', [true, false]);
    const rows = await client.queryAll(query);
    for (const row of rows) {
      const key = keyOf(entity, row);
      if (key === undefined) continue;
      const list = found.get(nameKey(key));
      if (list) list.push(row);
      else found.set(nameKey(key), [row]);
    }
  }
  return found;
}

/** The one QBO row whose key is exactly `key` (else one that differs only in case), or null. */
export function pick<E extends Keyed>(entity: E, rows: readonly EntityOf<E>[] | undefined, key: string): EntityOf<E> | null {
  if (!rows || rows.length === 0) return null;
  return rows.find((r) => keyOf(entity, r) === key) ?? rows.find((r) => keyOf(entity, r) !== undefined && nameKey(keyOf(entity, r) ?? '') === nameKey(key)) ?? null;
}

export async function findOne<E extends Keyed>(client: QboClient, entity: E, key: string): Promise<EntityOf<E> | null> {
  return pick(entity, (await findByKeys(client, entity, [key])).get(nameKey(key)), key);
}
