import Big from 'big.js';
import type { Realm, Row } from '../realm.ts';
import { faults, type QboFault, asText } from '../wire.ts';

/** What an entity's rules may look at while building a row. */
export interface WriteContext {
  realm: Realm;
  now: number;
  allowDuplicateDocNum: boolean;
  /**
   * Records created by earlier items of the running batch, as `Entity:Id`: Intuit runs batch items
   * independently, so "a newly created customer is not available for a subsequent invoice" (docs/qbo-behaviour.md §7).
   */
  createdInBatch?: Set<string>;
  /** Changes committed by this request, for webhook notifications (filled by every write path). */
  events?: ChangeEvent[];
}

export type ChangeOperation = 'Create' | 'Update' | 'Delete' | 'Void';

/** One entry of Intuit's `dataChangeEvent.entities` (docs/qbo-behaviour.md §8.2). */
export interface ChangeEvent {
  name: string;
  id: string;
  operation: ChangeOperation;
  lastUpdated: string;
}

export type Built = { ok: true; row: Row } | { ok: false; fault: QboFault };

export const ok = (row: Row): Built => ({ ok: true, row });
export const fail = (fault: QboFault): Built => ({ ok: false, fault });

export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return asText(v);
}

export function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  return v === true || v === 'true';
}

/** Decimals are read through their decimal text so no float arithmetic touches money. */
export function decimal(v: unknown): Big | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return new Big(typeof v === 'number' ? asText(v) : asText(v).trim());
}

/** JSON numbers on the wire; big.js values are turned into the shortest number that prints the same decimal. */
export function wireNumber(b: Big): number {
  return Number(b.toFixed());
}

export function refValue(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const value = (v as Row).value;
  return value === undefined || value === null ? undefined : asText(value);
}

/** Length limits from the entity pages (docs/qbo-behaviour.md §6.2, §6.3, §6.4) → 2050. */
export function tooLong(row: Row, limits: Record<string, number>): QboFault | null {
  for (const [field, max] of Object.entries(limits)) {
    const v = text(row[field]);
    if (v !== undefined && v.length > max) return faults.length(field, max, v.length);
  }
  return null;
}

/** Names may not contain a colon, tab or newline (docs/qbo-behaviour.md §6.2; Intuit gives no code, 6000 stands in). */
export function badNameChars(row: Row, fields: string[]): QboFault | null {
  for (const field of fields) {
    const v = text(row[field]);
    if (v !== undefined && /[:\t\n\r]/.test(v)) {
      return faults.business(`${field} can not contain a colon (:), a tab or a new line.`, field);
    }
  }
  return null;
}

export function activeRow(realm: Realm, entity: string, id: string | undefined): Row | undefined {
  if (id === undefined) return undefined;
  const row = realm.entities.get(entity)?.get(id);
  return row && row.Active !== false ? row : undefined;
}

/** An active row the current write may refer to (not one created earlier in the same batch). */
export function referable(ctx: WriteContext, entity: string, id: string | undefined): Row | undefined {
  if (id !== undefined && ctx.createdInBatch?.has(`${entity}:${id}`)) return undefined;
  return activeRow(ctx.realm, entity, id);
}

/** Copies instead of `delete`: deleting keys drops V8 objects into slow dictionary mode. */
export function withoutUndefined(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) if (v !== undefined) out[k] = v;
  return out;
}
