import Big from 'big.js';
import type { Row } from './realm.ts';

/** Text that reads as a decimal number, the way the query language and QBO's coercions see it. */
export function numeric(s: string): Big | undefined {
  return /^-?\d+(\.\d+)?$/.test(s.trim()) ? new Big(s.trim()) : undefined;
}

/**
 * One key per class of values the query language calls equal (docs/qbo-behaviour.md §5): numbers by value
 * (`'1001'` = `'01001'` = `1001.0`), other text case-insensitively. Dates are not covered; callers
 * only look keys up for values that do not read as dates.
 */
export function equalityKey(value: string): string {
  const n = numeric(value);
  if (n) return `#${n.eq(0) ? '0' : n.toFixed()}`;
  return `'${value.toLowerCase()}`;
}

/** Automatic numbering only continues from integers below this (bigger ones are not sequence numbers). */
const LARGEST_SEQUENCE_NUMBER = 1e12;

function docNumberText(row: Row): string | undefined {
  const v = row.DocNumber;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function sequenceNumber(row: Row): number | undefined {
  const n = Number(row.DocNumber);
  return Number.isInteger(n) && n < LARGEST_SEQUENCE_NUMBER ? n : undefined;
}

/**
 * The rows of one entity in a realm by Id, with an index on DocNumber kept by `set`/`delete`/`clear`,
 * so every write path (create, update, void, delete, batch, state load) keeps it right without
 * knowing about it. Rows are replaced, never edited in place, where DocNumber is concerned.
 */
export class EntityRows extends Map<string, Row> {
  /** equalityKey(DocNumber) → Ids of the rows carrying it. */
  private readonly byDocNumber = new Map<string, string[]>();
  /** Largest sequence number among the rows; undefined after its holder left, until asked again. */
  private maxSequence: number | undefined = 0;

  constructor(rows: Iterable<Row> = []) {
    // Map's own constructor would call `set` before this class's fields exist.
    super();
    for (const row of rows) this.set(String(row.Id), row);
  }

  override set(id: string, row: Row): this {
    const old = super.get(id);
    super.set(id, row);
    // Most updates (and every void) keep the number: nothing to move, and the largest stays known.
    if (old !== undefined && old.DocNumber === row.DocNumber) return this;
    if (old !== undefined) this.unindex(id, old);
    this.index(id, row);
    return this;
  }

  override delete(id: string): boolean {
    const old = super.get(id);
    if (old) this.unindex(id, old);
    return super.delete(id);
  }

  override clear(): void {
    super.clear();
    this.byDocNumber.clear();
    this.maxSequence = 0;
  }

  /** Ids whose DocNumber is exactly `docNumber`, in Id order (= creation order, as a scan would meet them). */
  idsWithDocNumber(docNumber: string): string[] {
    const ids = this.byDocNumber.get(equalityKey(docNumber)) ?? [];
    return ids.filter((id) => this.get(id)?.DocNumber === docNumber).sort(byNumericId);
  }

  /** Rows whose DocNumber the query language calls equal to `value` (not for values that read as dates). */
  rowsWithDocNumberEqualTo(value: string): Row[] {
    const ids = this.byDocNumber.get(equalityKey(value)) ?? [];
    return ids.map((id) => this.get(id)).filter((row): row is Row => row !== undefined);
  }

  /** The largest integer DocNumber below 10^12, 0 when there is none. */
  largestSequenceNumber(): number {
    if (this.maxSequence === undefined) {
      let max = 0;
      for (const row of this.values()) max = Math.max(max, sequenceNumber(row) ?? 0);
      this.maxSequence = max;
    }
    return this.maxSequence;
  }

  private index(id: string, row: Row): void {
    const n = sequenceNumber(row);
    if (n !== undefined && this.maxSequence !== undefined && n > this.maxSequence) this.maxSequence = n;
    const doc = docNumberText(row);
    if (doc === undefined) return;
    const key = equalityKey(doc);
    const ids = this.byDocNumber.get(key);
    if (ids) ids.push(id);
    else this.byDocNumber.set(key, [id]);
  }

  private unindex(id: string, row: Row): void {
    if (sequenceNumber(row) === this.maxSequence) this.maxSequence = undefined;
    const doc = docNumberText(row);
    if (doc === undefined) return;
    const key = equalityKey(doc);
    const ids = this.byDocNumber.get(key) ?? [];
    const at = ids.indexOf(id);
    if (at >= 0) ids.splice(at, 1);
    if (ids.length === 0) this.byDocNumber.delete(key);
  }
}

function byNumericId(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : a.localeCompare(b);
}
