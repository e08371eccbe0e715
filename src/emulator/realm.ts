import { randomInt } from 'node:crypto';
import { type RealmBehaviour, INTUIT_BEHAVIOUR } from './behaviour.ts';
import { EntityRows } from './entity-rows.ts';
import { DEFAULT_REALM_KIND, type RealmKind } from './realm-kind.ts';
import { metaTime } from './wire.ts';

/** One QBO object exactly as it goes on the wire. */
export type Row = Record<string, unknown>;

/** The first answer given for a `requestid`, replayed verbatim on a repeat (docs/qbo-behaviour.md §2.4). */
export interface StoredAnswer {
  status: number;
  body: unknown;
  /** When it was stored (emulator clock), for `requestIdTtlSeconds`. */
  at?: number;
}

/** A write queries do not see yet (`queryLagMs`): what they see instead until `visibleAt`. */
export interface LaggingWrite {
  visibleAt: number;
  previous: Row | undefined;
}

/** A company (realm): its objects by entity name and Id, and its own counters. */
export interface Realm {
  id: string;
  name: string;
  /** Country, sales-tax model and currencies (fixed at creation, as a QuickBooks company's are). */
  kind: RealmKind;
  createdAt: number;
  entities: Map<string, EntityRows>;
  nextIds: Map<string, number>;
  nextAddressId: number;
  /** Deleted transactions: CDC-style stubs, also the reason a later delete gets 610. */
  deleted: Map<string, Map<string, string>>;
  requestIds: Map<string, StoredAnswer>;
  behaviour: RealmBehaviour;
  /** Writes still hidden from queries, by entity and Id (not persisted: lags are seconds). */
  lagging: Map<string, Map<string, LaggingWrite>>;
}

/** Sandbox realm ids are numeric strings; new sandboxes get 16 digits (docs/qbo-behaviour.md §1.4). */
export function newRealmId(): string {
  return `9341${String(randomInt(0, 1_000_000)).padStart(6, '0')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

export function rowsOf(realm: Realm, entity: string): EntityRows {
  let rows = realm.entities.get(entity);
  if (!rows) {
    rows = new EntityRows();
    realm.entities.set(entity, rows);
  }
  return rows;
}

export function nextId(realm: Realm, entity: string): string {
  const id = realm.nextIds.get(entity) ?? 1;
  realm.nextIds.set(entity, id + 1);
  return String(id);
}

/** Makes sure generated Ids never collide with seeded ones. */
export function reserveId(realm: Realm, entity: string, id: string): void {
  const n = Number(id);
  if (Number.isInteger(n) && n >= (realm.nextIds.get(entity) ?? 1)) realm.nextIds.set(entity, n + 1);
}

/** The members every QBO object carries (docs/qbo-behaviour.md §2.5). */
export function stamp(row: Row, id: string, nowMs: number): Row {
  const t = metaTime(nowMs);
  return { ...row, domain: 'QBO', sparse: false, Id: id, SyncToken: '0', MetaData: { CreateTime: t, LastUpdatedTime: t } };
}

export function touch(row: Row, nowMs: number, bumpSyncToken: boolean): void {
  const meta = (row.MetaData ?? {}) as Row;
  row.MetaData = { ...meta, LastUpdatedTime: metaTime(nowMs) };
  if (bumpSyncToken) row.SyncToken = String(Number(row.SyncToken ?? '0') + 1);
}

interface SerializedRealm {
  id: string;
  name: string;
  kind?: RealmKind;
  createdAt: number;
  entities: Record<string, Row[]>;
  nextIds: Record<string, number>;
  nextAddressId: number;
  deleted: Record<string, Record<string, string>>;
  requestIds: Record<string, StoredAnswer>;
  behaviour?: RealmBehaviour;
}

export function serializeRealm(realm: Realm): SerializedRealm {
  const entities: Record<string, Row[]> = {};
  for (const [name, rows] of realm.entities) entities[name] = [...rows.values()];
  const deleted: Record<string, Record<string, string>> = {};
  for (const [name, ids] of realm.deleted) deleted[name] = Object.fromEntries(ids);
  return {
    id: realm.id,
    name: realm.name,
    kind: realm.kind,
    createdAt: realm.createdAt,
    entities,
    nextIds: Object.fromEntries(realm.nextIds),
    nextAddressId: realm.nextAddressId,
    deleted,
    requestIds: Object.fromEntries(realm.requestIds),
    behaviour: realm.behaviour,
  };
}

export function deserializeRealm(data: SerializedRealm): Realm {
  const entities = new Map<string, EntityRows>();
  for (const [name, rows] of Object.entries(data.entities)) entities.set(name, new EntityRows(rows));
  const deleted = new Map<string, Map<string, string>>();
  for (const [name, ids] of Object.entries(data.deleted ?? {})) deleted.set(name, new Map(Object.entries(ids)));
  return {
    id: data.id,
    name: data.name,
    kind: data.kind ?? DEFAULT_REALM_KIND,
    createdAt: data.createdAt,
    entities,
    nextIds: new Map(Object.entries(data.nextIds)),
    nextAddressId: data.nextAddressId,
    deleted,
    requestIds: new Map(Object.entries(data.requestIds ?? {})),
    behaviour: { ...INTUIT_BEHAVIOUR, ...data.behaviour },
    lagging: new Map(),
  };
}

export type { SerializedRealm };
