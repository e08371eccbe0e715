import type { EntityName } from './entities.ts';

/**
 * QBO's query language (docs/qbo-behaviour.md §5): `SELECT * FROM E [WHERE p op v [AND …]] [ORDERBY p [ASC|DESC]]
 * [STARTPOSITION n] [MAXRESULTS n]`. No OR, no projections. Strings are single-quoted with `\` escaping
 * both `'` and `\` (an unescaped quote is a 4000 parser error); URL encoding is left to URLSearchParams.
 */
export type QueryOperator = '=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'IN';
export type QueryScalar = string | number | boolean;
export type QueryValue = QueryScalar | readonly QueryScalar[];

export interface Condition {
  readonly field: string;
  readonly op: QueryOperator;
  readonly value: QueryValue;
}

export interface OrderBy {
  readonly field: string;
  readonly direction: 'ASC' | 'DESC';
}

/** QBO's ceiling for one page (§5.1). */
export const MAX_PAGE_SIZE = 1000;

/** Attribute names are plain identifiers, optionally dotted (`MetaData.LastUpdatedTime`): never interpolate anything else. */
const fieldPattern = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

export class Query<E extends EntityName> {
  private constructor(
    readonly entity: E,
    readonly conditions: readonly Condition[],
    readonly order: readonly OrderBy[],
    readonly start: number | null,
    readonly max: number | null,
  ) {}

  static from<E extends EntityName>(entity: E): Query<E> {
    return new Query(entity, [], [], null, null);
  }

  where(field: string, op: QueryOperator, value: QueryValue): Query<E> {
    assertField(field);
    if (op === 'IN' && !Array.isArray(value)) throw new TypeError(`IN needs a list of values for ${field}`);
    if (op !== 'IN' && Array.isArray(value)) throw new TypeError(`${op} needs a single value for ${field}`);
    if (Array.isArray(value) && value.length === 0) throw new TypeError(`IN needs at least one value for ${field}`);
    return new Query(this.entity, [...this.conditions, { field, op, value }], this.order, this.start, this.max);
  }

  /** Same as `where`: QBO ANDs every condition (it has no OR). */
  and(field: string, op: QueryOperator, value: QueryValue): Query<E> {
    return this.where(field, op, value);
  }

  orderBy(field: string, direction: 'ASC' | 'DESC' = 'ASC'): Query<E> {
    assertField(field);
    return new Query(this.entity, this.conditions, [...this.order, { field, direction }], this.start, this.max);
  }

  /** 1-based, as QBO counts. */
  startPosition(n: number): Query<E> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`STARTPOSITION must be an integer ≥ 1, got ${n}`);
    return new Query(this.entity, this.conditions, this.order, n, this.max);
  }

  maxResults(n: number): Query<E> {
    if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
      throw new RangeError(`MAXRESULTS must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${n}`);
    }
    return new Query(this.entity, this.conditions, this.order, this.start, n);
  }

  /** The statement for `GET /query?query=…`. */
  toString(): string {
    return this.render('*', true);
  }

  /** `SELECT COUNT(*) …` with the same conditions (no ordering or paging). */
  toCountString(): string {
    return this.render('COUNT(*)', false);
  }

  private render(projection: string, paging: boolean): string {
    const parts = [`SELECT ${projection} FROM ${this.entity}`];
    if (this.conditions.length > 0) {
      parts.push(`WHERE ${this.conditions.map((c) => `${c.field} ${c.op} ${literal(c.value)}`).join(' AND ')}`);
    }
    if (paging) {
      if (this.order.length > 0) parts.push(`ORDERBY ${this.order.map((o) => `${o.field} ${o.direction}`).join(', ')}`);
      if (this.start !== null) parts.push(`STARTPOSITION ${this.start}`);
      if (this.max !== null) parts.push(`MAXRESULTS ${this.max}`);
    }
    return parts.join(' ');
  }
}

/** Starts a query: `select('Customer').where('DisplayName', '=', name)`. */
export function select<E extends EntityName>(entity: E): Query<E> {
  return Query.from(entity);
}

/** `'…'` with backslash escaping of `\` and `'` (§5.1: `'Adam\'s Candy Shop'`). */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function literal(value: QueryValue): string {
  if (Array.isArray(value)) return `(${value.map((v: QueryScalar) => scalar(v)).join(', ')})`;
  return scalar(value as QueryScalar);
}

function scalar(value: QueryScalar): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (!Number.isFinite(value)) throw new TypeError(`cannot put ${value} in a query`);
  return String(value);
}

function assertField(field: string): void {
  if (!fieldPattern.test(field)) throw new TypeError(`not a QBO attribute name: ${JSON.stringify(field)}`);
}
