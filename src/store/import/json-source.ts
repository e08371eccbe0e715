import { createReadStream } from 'node:fs';
import { jsonParser } from 'stream-json/parser.js';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import type { Token } from 'stream-json/parser.js';
import { SourceError, type RecordBatches, type SourceRecord } from './sources.ts';
import type { RecordKind } from './validate.ts';

const sections: ReadonlySet<string> = new Set<RecordKind>(['companies', 'customers', 'products', 'invoices']);

type Container = Record<string, unknown> | unknown[];

/**
 * Streams the import document: the tokenizer runs synchronously over each chunk of the file and every array
 * element of a top-level section is assembled on its own, so memory holds one chunk and the records completed
 * in it. Numbers keep their source text ("12.50", not 12.5): money never passes through a float.
 */
export async function* readJsonRecords(path: string): RecordBatches {
  const tokenize = jsonParser({ streamValues: false });
  const assembler = new SectionAssembler();
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
      const out = tokenize(chunk as string);
      if (isMany(out)) for (const token of getManyValues(out)) assembler.push(token);
      if (assembler.ready.length > 0) yield assembler.take();
    }
    // The tokenizer is flushed by passing stream-chain's `none` marker at the end of input.
    const rest = (tokenize as unknown as (chunk: typeof none) => ReturnType<typeof tokenize>)(none);
    if (isMany(rest)) for (const token of getManyValues(rest)) assembler.push(token);
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(`not a valid JSON document: ${(error as Error).message}`, { cause: error });
  }
  if (!assembler.finished) throw new SourceError('not a valid JSON document: it ends too early');
  if (assembler.ready.length > 0) yield assembler.take();
}

class SectionAssembler {
  ready: SourceRecord[] = [];
  finished = false;
  /** Depth 0: before the document; 1: inside the top object; 2: inside a section array; deeper: in a record. */
  private depth = 0;
  private section: RecordKind | null = null;
  private index = 0;
  private key: string | null = null;
  private stack: Container[] = [];
  private keys: Array<string | null> = [];

  take(): SourceRecord[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  push(token: Token): void {
    if (this.depth === 0) {
      if (token.name !== 'startObject') throw new SourceError('expected a JSON object with companies, customers, products and invoices');
      this.depth = 1;
      return;
    }
    if (this.depth === 1) return this.topLevel(token);
    if (this.depth === 2 && this.stack.length === 0) {
      if (token.name === 'endArray') {
        this.depth = 1;
        this.section = null;
        return;
      }
    }
    this.value(token);
  }

  private topLevel(token: Token): void {
    if (token.name === 'keyValue') {
      if (!sections.has(token.value)) throw new SourceError(`unknown section "${token.value}" (expected companies, customers, products, invoices)`);
      this.section = token.value as RecordKind;
      this.index = 0;
      return;
    }
    if (token.name === 'startArray' && this.section) {
      this.depth = 2;
      return;
    }
    if (token.name === 'endObject') {
      this.depth = -1;
      this.finished = true;
      return;
    }
    throw new SourceError(`"${this.section ?? '?'}" must be a list of records`);
  }

  /** Builds one record from its tokens; emits it when its outermost container closes. */
  private value(token: Token): void {
    switch (token.name) {
      case 'startObject':
      case 'startArray': {
        const container: Container = token.name === 'startObject' ? {} : [];
        if (this.stack.length > 0) this.add(container);
        this.stack.push(container);
        this.keys.push(this.key);
        this.key = null;
        return;
      }
      case 'endObject':
      case 'endArray': {
        const done = this.stack.pop();
        this.key = this.keys.pop() ?? null;
        if (this.stack.length === 0) this.emit(done);
        return;
      }
      case 'keyValue':
        this.key = token.value;
        return;
      case 'stringValue':
      case 'numberValue':
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        if (this.stack.length === 0) this.emit(token.value);
        else this.add(token.value);
        return;
      default:
        return;
    }
  }

  private add(value: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (Array.isArray(top)) top.push(value);
    // defineProperty: a "__proto__" key stays an ordinary field, never the object's prototype.
    else if (top) Object.defineProperty(top, this.key ?? '', { value, enumerable: true, writable: true, configurable: true });
  }

  private emit(raw: unknown): void {
    if (!this.section) return;
    this.ready.push({ kind: this.section, label: `${this.section}[${this.index}]`, raw });
    this.index += 1;
  }
}
