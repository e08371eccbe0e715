import Big from 'big.js';
import type { Realm, Row } from '../realm.ts';
import { type EntityRows, numeric } from '../entity-rows.ts';
import { companyDate, faults, type QboFault, asText } from '../wire.ts';
import { entityByName } from '../api/schema.ts';
import { hasLag, visibleRows } from '../behaviour.ts';
import { type Condition, type Literal, parseQuery, QueryParserError } from './parser.ts';

/**
 * Runs a parsed query over a realm (docs/qbo-behaviour.md §5): case-insensitive names and string values,
 * references compared on their id, inactive rows hidden unless `Active` is filtered, `maxResults`
 * = rows returned, an empty result is `{}`.
 */
export type QueryAnswer = { ok: true; body: Row } | { ok: false; fault: QboFault };

const DEFAULT_MAX = 100;
const MAX_RESULTS = 1000;

function resolve(row: unknown, path: string[]): unknown {
  let v: unknown = row;
  for (const segment of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    const lower = segment.toLowerCase();
    const key = Object.keys(v).find((k) => k.toLowerCase() === lower);
    v = key === undefined ? undefined : (v as Row)[key];
  }
  if (typeof v === 'object' && v !== null && 'value' in v) return (v as Row).value;
  return v;
}

/** -1, 0, 1, or null when the two cannot be compared. */
function compare(actual: unknown, literal: Literal, now: number): number | null {
  if (actual === undefined || actual === null) return null;
  const lit = literal.kind === 'today' ? companyDate(now) : literal.value;
  if (typeof actual === 'boolean') {
    const b = typeof lit === 'boolean' ? lit : asText(lit).toLowerCase() === 'true' ? true : asText(lit).toLowerCase() === 'false' ? false : null;
    return b === null ? null : actual === b ? 0 : actual ? 1 : -1;
  }
  if (typeof actual === 'number') {
    const n = numeric(asText(lit));
    return n ? new Big(asText(actual)).cmp(n) : null;
  }
  const a = asText(actual);
  const b = asText(lit);
  // Date-times with offsets compare as instants; plain dates and text compare as text.
  if (/^\d{4}-\d{2}-\d{2}T/.test(a) && /^\d{4}-\d{2}-\d{2}/.test(b)) {
    const x = Date.parse(a);
    const y = Date.parse(b.length === 10 ? `${b}T00:00:00-07:00` : b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return Math.sign(x - y);
  }
  const na = numeric(a);
  const nb = numeric(b);
  if (na && nb && !/^\d{4}-/.test(a)) return na.cmp(nb);
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la === lb ? 0 : la < lb ? -1 : 1;
}

function likeRegex(pattern: string): RegExp {
  const body = pattern.split('%').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'is');
}

function matches(row: Row, c: Condition, path: string[], now: number): boolean {
  const actual = resolve(row, path);
  switch (c.op) {
    case 'IN':
      return c.values.some((v) => compare(actual, v, now) === 0);
    case 'LIKE': {
      const v = c.values[0];
      return actual !== undefined && actual !== null && v?.kind === 'string' && likeRegex(v.value).test(asText(actual));
    }
    default: {
      const v = c.values[0];
      const r = v ? compare(actual, v, now) : null;
      if (r === null) return false;
      return c.op === '=' ? r === 0 : c.op === '<' ? r < 0 : c.op === '>' ? r > 0 : c.op === '<=' ? r <= 0 : r >= 0;
    }
  }
}

function idOrder(a: Row, b: Row): number {
  const x = Number(a.Id);
  const y = Number(b.Id);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return asText(a.Id).localeCompare(asText(b.Id));
}

function sortValue(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const r = compare(a, { kind: 'string', value: asText(b) }, 0);
  return r ?? 0;
}

/** Values the DocNumber index can answer for: text and numbers, but not date-like text (compared as dates, see `compare`). */
function indexable(v: Literal): v is Extract<Literal, { kind: 'string' | 'number' }> {
  return (v.kind === 'string' || v.kind === 'number') && !/^\d{4}-\d{2}-\d{2}/.test(v.value);
}

/**
 * The rows a query has to look at: for `DocNumber = v` or `DocNumber IN (…)` among the AND-ed
 * conditions, only the rows the realm's DocNumber index holds under those values (the exporter
 * reconciles by DocNumber, and scanning 100k invoices per query does not scale); otherwise all.
 * Every condition is still checked on each row, and the order comes from the sort, so the answer
 * is the one a scan gives.
 */
function candidates(rows: EntityRows | undefined, conditions: Array<{ c: Condition; path: string[] }>): Iterable<Row> {
  if (!rows) return [];
  for (const { c, path } of conditions) {
    if (path.length !== 1 || path[0]?.toLowerCase() !== 'docnumber' || (c.op !== '=' && c.op !== 'IN')) continue;
    const values = c.values;
    if (!values.every(indexable)) continue;
    // A Set: `IN ('a', 'A')` names the same rows twice.
    return new Set(values.flatMap((v) => rows.rowsWithDocNumberEqualTo(v.value)));
  }
  return rows.values();
}

export function runQuery(realm: Realm, text: string, now: number): QueryAnswer {
  let parsed;
  try {
    parsed = parseQuery(text);
  } catch (error) {
    if (error instanceof QueryParserError) return { ok: false, fault: faults.queryParse(error.message) };
    throw error;
  }
  const def = entityByName(parsed.entity);
  if (!def) return { ok: false, fault: faults.queryInvalid(`invalid context declaration: ${parsed.entity}`) };
  const propertyPath = (name: string): string[] | QboFault => {
    const path = name.split('.');
    const head = path[0] ?? '';
    if (!def.open && ![...def.props].some((p) => p.toLowerCase() === head.toLowerCase())) {
      return faults.queryInvalid(`property '${name}' is not queryable`);
    }
    return path;
  };
  const conditions: Array<{ c: Condition; path: string[] }> = [];
  for (const c of parsed.where) {
    const path = propertyPath(c.property);
    if (!Array.isArray(path)) return { ok: false, fault: path };
    conditions.push({ c, path });
  }
  const order: Array<{ path: string[]; descending: boolean }> = [];
  for (const o of parsed.orderBy) {
    const path = propertyPath(o.property);
    if (!Array.isArray(path)) return { ok: false, fault: path };
    order.push({ path, descending: o.descending });
  }
  const filtersActive = conditions.some(({ path }) => path.length === 1 && path[0]?.toLowerCase() === 'active');
  const found = candidates(realm.entities.get(def.name), conditions);
  // queryLagMs: writes not yet visible to queries show as they were before (reads by Id see them at once).
  const seen = hasLag(realm, def.name, now) ? visibleRows(realm, def.name, found, now) : found;
  let rows = [...seen].filter(
    (row) => (filtersActive || row.Active !== false) && conditions.every(({ c, path }) => matches(row, c, path, now)),
  );
  if (parsed.count) return { ok: true, body: { QueryResponse: { totalCount: rows.length } } };
  rows.sort((a, b) => {
    for (const o of order) {
      const r = sortValue(resolve(a, o.path), resolve(b, o.path));
      if (r !== 0) return o.descending ? -r : r;
    }
    return idOrder(a, b);
  });
  const start = Math.max(1, parsed.startPosition ?? 1);
  const max = Math.min(MAX_RESULTS, parsed.maxResults ?? DEFAULT_MAX);
  rows = rows.slice(start - 1, start - 1 + max);
  if (rows.length === 0) return { ok: true, body: { QueryResponse: {} } };
  if (parsed.projection) {
    const wanted = parsed.projection.map((p) => p.toLowerCase());
    rows = rows.map((row) => {
      const out: Row = { domain: row.domain, sparse: true, Id: row.Id };
      for (const [k, v] of Object.entries(row)) if (wanted.includes(k.toLowerCase())) out[k] = v;
      return out;
    });
  }
  return { ok: true, body: { QueryResponse: { [def.name]: rows, startPosition: start, maxResults: rows.length } } };
}
