import { createReadStream } from 'node:fs';
import { SourceError, type RecordBatches, type SourceRecord } from './sources.ts';
import type { RecordKind } from './validate.ts';

const sections: ReadonlySet<string> = new Set<RecordKind>(['companies', 'customers', 'products', 'invoices', 'creditMemos']);

/**
 * Streams the import document `{"companies":[…],"customers":[…],"products":[…],"invoices":[…],"creditMemos":[…]}` record by
 * record: a small scanner finds where each record of a section starts and ends, and the record's text alone
 * goes to the native JSON.parse. Memory holds one chunk of the file plus the records completed in it.
 *
 * Why not stream-json's token stream: it produces one JS object per token and reached ~8 MB/s here, too slow
 * for the 20,000 invoices/s target; this scanner plus JSON.parse runs at memory speed.
 * Numbers keep their source text: the scanner quotes every number before JSON.parse sees it ("12.50", never
 * the float 12.5), so money never passes through a float; the decimal checks then validate the text.
 */
export async function* readJsonRecords(path: string): RecordBatches {
  const splitter = new RecordSplitter();
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    splitter.write(chunk as string);
    if (splitter.ready.length > 0) yield splitter.take();
  }
  splitter.end();
  if (splitter.ready.length > 0) yield splitter.take();
}

type Mode = 'start' | 'key' | 'colon' | 'open' | 'element' | 'afterElement' | 'afterSection' | 'done';

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
/** A JSON number starts with - or a digit (outside strings nothing else does: true/false/null have none). */
const startsNumber = (c: number) => (c >= 48 && c <= 57) || c === 45;
/** Characters a JSON number continues with: - + . 0-9 e E. */
const isNumberChar = (c: number) => (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;

export class RecordSplitter {
  ready: SourceRecord[] = [];
  private buf = '';
  private pos = 0;
  private mode: Mode = 'start';
  private section: RecordKind | null = null;
  private index = 0;
  // Inside a record:
  private start = -1;
  private depth = 0;
  private inString = false;
  private numberStart = -1;
  private numberSpans: number[] = [];

  take(): SourceRecord[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  write(chunk: string): void {
    this.buf += chunk;
    this.scan();
    // Keep only the unfinished part: the record being read, or nothing.
    const keep = this.mode === 'element' && this.start >= 0 ? this.start : this.pos;
    if (keep > 0) {
      this.buf = this.buf.slice(keep);
      this.pos -= keep;
      if (this.start >= 0) this.start -= keep;
      if (this.numberStart >= 0) this.numberStart -= keep;
      for (let i = 0; i < this.numberSpans.length; i += 1) this.numberSpans[i] = (this.numberSpans[i] ?? 0) - keep;
    }
  }

  end(): void {
    if (this.mode === 'afterSection' || this.mode === 'done') {
      if (this.mode !== 'done') throw new SourceError('not a valid JSON document: it ends before its closing }');
      if (this.buf.slice(this.pos).trim() !== '') throw new SourceError('not a valid JSON document: text after the closing }');
      return;
    }
    throw new SourceError(`not a valid JSON document: it ends too early${this.section ? ` (in ${this.section}[${this.index}])` : ''}`);
  }

  private fail(expected: string): never {
    const found = this.buf.slice(this.pos, this.pos + 20);
    throw new SourceError(`not a valid JSON document: expected ${expected}${this.section ? ` in ${this.section}` : ''}, found ${JSON.stringify(found)}`);
  }

  private scan(): void {
    const buf = this.buf;
    const len = buf.length;
    while (this.pos < len) {
      if (this.mode === 'element' && this.start >= 0) {
        if (!this.scanRecord()) return;
        continue;
      }
      const c = buf.charCodeAt(this.pos);
      if (isSpace(c)) {
        this.pos += 1;
        continue;
      }
      switch (this.mode) {
        case 'start':
          if (c !== 123) this.fail('a JSON object with companies, customers, products and invoices');
          this.mode = 'key';
          this.pos += 1;
          break;
        case 'key': {
          if (c === 125) {
            this.mode = 'done';
            this.pos += 1;
            break;
          }
          if (c !== 34) this.fail('a section name');
          const close = this.stringEnd(this.pos + 1);
          if (close < 0) return;
          const name = JSON.parse(buf.slice(this.pos, close + 1)) as string;
          if (!sections.has(name)) throw new SourceError(`unknown section "${name}" (expected companies, customers, products, invoices, creditMemos)`);
          this.section = name as RecordKind;
          this.index = 0;
          this.mode = 'colon';
          this.pos = close + 1;
          break;
        }
        case 'colon':
          if (c !== 58) this.fail("':'");
          this.mode = 'open';
          this.pos += 1;
          break;
        case 'open':
          if (c !== 91) throw new SourceError(`"${this.section ?? ''}" must be a list of records`);
          this.mode = 'element';
          this.pos += 1;
          this.afterOpen = true;
          break;
        case 'element':
          if (c === 93 && this.afterOpen) {
            this.mode = 'afterSection';
            this.pos += 1;
            break;
          }
          this.afterOpen = false;
          this.beginRecord();
          break;
        case 'afterElement':
          if (c === 44) this.mode = 'element';
          else if (c === 93) this.mode = 'afterSection';
          else this.fail("',' or ']'");
          this.pos += 1;
          break;
        case 'afterSection':
          if (c === 44) this.mode = 'key';
          else if (c === 125) this.mode = 'done';
          else this.fail("',' or '}'");
          this.pos += 1;
          break;
        case 'done':
          this.fail('nothing after the closing }');
      }
    }
  }

  private afterOpen = false;

  private beginRecord(): void {
    this.start = this.pos;
    this.depth = 0;
    this.inString = false;
    this.numberStart = -1;
    this.numberSpans = [];
  }

  /** Index of the closing quote of a string whose content starts at `from`, or -1 when not yet in the buffer. */
  private stringEnd(from: number): number {
    let q = this.buf.indexOf('"', from);
    while (q >= 0) {
      let backslashes = 0;
      for (let b = q - 1; b >= from && this.buf.charCodeAt(b) === 92; b -= 1) backslashes += 1;
      if (backslashes % 2 === 0) return q;
      q = this.buf.indexOf('"', q + 1);
    }
    return -1;
  }

  /** Advances through the current record; true when it ended (emitted), false when more input is needed. */
  private scanRecord(): boolean {
    const buf = this.buf;
    const len = buf.length;
    let pos = this.pos;
    while (pos < len) {
      if (this.inString) {
        const close = this.stringEnd(pos);
        if (close < 0) {
          // Resume at the last quote-free point; a trailing run of backslashes is re-read with the next chunk.
          let back = len;
          while (back > pos && buf.charCodeAt(back - 1) === 92) back -= 1;
          this.pos = back;
          return false;
        }
        pos = close + 1;
        this.inString = false;
        continue;
      }
      const c = buf.charCodeAt(pos);
      if (this.numberStart >= 0) {
        if (isNumberChar(c)) {
          pos += 1;
          continue;
        }
        this.numberSpans.push(this.numberStart, pos);
        this.numberStart = -1;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth += 1;
      else if (c === 125 || c === 93) {
        if (this.depth === 0) return this.finishRecord(pos); // a bare value followed by the section's ]
        this.depth -= 1;
        if (this.depth === 0) return this.finishRecord(pos + 1);
      } else if (c === 44 && this.depth === 0) return this.finishRecord(pos);
      else if (startsNumber(c)) this.numberStart = pos;
      pos += 1;
    }
    this.pos = pos;
    return false;
  }

  private finishRecord(end: number): boolean {
    if (this.numberStart >= 0) {
      this.numberSpans.push(this.numberStart, end);
      this.numberStart = -1;
    }
    let text = '';
    let from = this.start;
    for (let i = 0; i < this.numberSpans.length; i += 2) {
      const a = this.numberSpans[i] ?? 0;
      const b = this.numberSpans[i + 1] ?? 0;
      text += `${this.buf.slice(from, a)}"${this.buf.slice(a, b)}"`;
      from = b;
    }
    text += this.buf.slice(from, end);
    const label = `${this.section ?? ''}[${this.index}]`;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new SourceError(`not a valid JSON document: ${label} cannot be read (${(error as Error).message})`, { cause: error });
    }
    if (this.section) this.ready.push({ kind: this.section, label, raw });
    this.index += 1;
    this.pos = end;
    this.start = -1;
    this.mode = 'afterElement';
    return true;
  }
}
