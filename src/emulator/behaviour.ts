import type { LaggingWrite, Realm, Row, StoredAnswer } from './realm.ts';

/**
 * How forgiving a realm is where Intuit's documentation is silent or users report worse (issue 13).
 * The defaults are QuickBooks as Intuit documents it; each switch models a harsher real company so the
 * exporter's exactly-once promise can be proven without leaning on QBO's kindness.
 */
export interface RealmBehaviour {
  /** A repeated DocNumber is accepted without 6140, as in a company whose duplicate-number warning is off. */
  acceptDuplicateDocNumbers: boolean;
  /** How long a `requestid` answer is replayed; 0 = not at all; undefined = for ever (the default). */
  requestIdTtlSeconds: number | undefined;
  /** A created or changed entity shows in query results only this long after its write was accepted. */
  queryLagMs: number;
}

export const INTUIT_BEHAVIOUR: Readonly<RealmBehaviour> = Object.freeze({ acceptDuplicateDocNumbers: false, requestIdTtlSeconds: undefined, queryLagMs: 0 });

/** The switches as `EmulatorOptions` and `POST /_emulator/realms` take them (all optional). */
export interface BehaviourInput {
  acceptDuplicateDocNumbers?: boolean;
  requestIdTtlSeconds?: number;
  queryLagMs?: number;
}

export function behaviourFrom(input: BehaviourInput, base: Readonly<RealmBehaviour> = INTUIT_BEHAVIOUR): RealmBehaviour {
  return {
    acceptDuplicateDocNumbers: input.acceptDuplicateDocNumbers ?? base.acceptDuplicateDocNumbers,
    requestIdTtlSeconds: input.requestIdTtlSeconds ?? base.requestIdTtlSeconds,
    queryLagMs: input.queryLagMs ?? base.queryLagMs,
  };
}

/** Reads the switches from a control request body; an error names the field. */
export function parseBehaviour(body: Record<string, unknown>): { ok: true; value: BehaviourInput } | { ok: false; error: string } {
  const value: BehaviourInput = {};
  const dup = body.acceptDuplicateDocNumbers;
  if (dup !== undefined) {
    if (typeof dup !== 'boolean') return { ok: false, error: 'acceptDuplicateDocNumbers must be true or false' };
    value.acceptDuplicateDocNumbers = dup;
  }
  for (const field of ['requestIdTtlSeconds', 'queryLagMs'] as const) {
    const v = body[field];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return { ok: false, error: `${field} must be a number ≥ 0` };
    value[field] = v;
  }
  return { ok: true, value };
}

/** The stored answer for a `requestid`, unless the realm has forgotten it by now. */
export function rememberedAnswer(realm: Realm, requestId: string | undefined, now: number): StoredAnswer | undefined {
  if (!requestId) return undefined;
  const stored = realm.requestIds.get(requestId);
  if (!stored) return undefined;
  const ttl = realm.behaviour.requestIdTtlSeconds;
  if (ttl !== undefined && now - (stored.at ?? 0) >= ttl * 1000) {
    realm.requestIds.delete(requestId);
    return undefined;
  }
  return stored;
}

export function rememberAnswer(realm: Realm, requestId: string | undefined, answer: StoredAnswer): void {
  if (!requestId || realm.behaviour.requestIdTtlSeconds === 0) return;
  realm.requestIds.set(requestId, answer);
}

/**
 * Notes a write for the query lag: until `now + queryLagMs` queries keep seeing `previous` (nothing, for a
 * create). Called with the row as it was before the write, by every write path (create, update, void, delete).
 */
export function noteWrite(realm: Realm, entity: string, id: string, previous: Row | undefined, now: number): void {
  const lag = realm.behaviour.queryLagMs;
  if (lag <= 0) return;
  let pending = realm.lagging.get(entity);
  if (!pending) realm.lagging.set(entity, (pending = new Map<string, LaggingWrite>()));
  const earlier = pending.get(id);
  // A second write within the lag keeps the version queries see now (the oldest one still visible).
  const shown = earlier && earlier.visibleAt > now ? earlier.previous : previous;
  pending.set(id, { visibleAt: now + lag, previous: shown });
}

/** True when queries of this entity must go through `visibleRows` (some write is still lagging). */
export function hasLag(realm: Realm, entity: string, now: number): boolean {
  const pending = realm.lagging.get(entity);
  if (!pending || pending.size === 0) return false;
  for (const [id, p] of pending) if (p.visibleAt <= now) pending.delete(id);
  return pending.size > 0;
}

/** The rows as a query sees them now: lagging writes replaced by the version before them (or left out). */
export function visibleRows(realm: Realm, entity: string, rows: Iterable<Row>, now: number): Row[] {
  const pending = realm.lagging.get(entity);
  const out: Row[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const id = String(row.Id);
    seen.add(id);
    const p = pending?.get(id);
    if (!p || p.visibleAt <= now) out.push(row);
    else if (p.previous) out.push(p.previous);
  }
  // Rows deleted within the lag, and lagging rows the caller did not pass (e.g. not among an index's
  // candidates), are listed as they were; the caller's conditions then filter them like any other row.
  for (const [id, p] of pending ?? []) if (!seen.has(id) && p.visibleAt > now && p.previous) out.push(p.previous);
  return out;
}
