import { QueryParserError, type Token, tokenize } from './lexer.ts';

/**
 * Parser for `SELECT * | count(*) FROM Entity [WHERE p op v [AND …]] [ORDERBY p [ASC|DESC], …]
 * [STARTPOSITION n] [MAXRESULTS n]` (docs/qbo-behaviour.md §5.1). OR is known to Intuit's grammar but
 * unsupported, so it is a parse error here too.
 */
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'today' };

export type Operator = '=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'IN';

export interface Condition {
  property: string;
  op: Operator;
  values: Literal[];
}

export interface OrderKey {
  property: string;
  descending: boolean;
}

export interface ParsedQuery {
  count: boolean;
  /** Property names when the statement lists them instead of `*`. */
  projection: string[] | null;
  entity: string;
  where: Condition[];
  orderBy: OrderKey[];
  startPosition: number | null;
  maxResults: number | null;
}

export { QueryParserError };

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] ?? { kind: 'eof', text: '<EOF>', value: '', column: 0 };
  }

  private next(): Token {
    const t = this.peek();
    this.pos++;
    return t;
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toLowerCase() === word;
  }

  private fail(expecting: string[]): never {
    const t = this.peek();
    const shown = t.kind === 'eof' ? '"<EOF>"' : `" ${t.kind === 'word' ? '<IDENTIFIER>' : `"${t.text}"`} "${t.text} ""`;
    throw new QueryParserError(`Encountered ${shown} at line 1, column ${t.column}.\nWas expecting one of:\n${expecting.map((e) => `    ${e} \n`).join('')}`);
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) this.fail([`"${word}"`]);
    this.pos++;
  }

  private expectPunct(p: string): void {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) this.fail([`"${p}"`]);
    this.pos++;
  }

  private identifier(): string {
    const t = this.peek();
    if (t.kind !== 'word') this.fail(['<IDENTIFIER>']);
    this.pos++;
    return t.text;
  }

  private integer(): number {
    const t = this.peek();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) this.fail(['<INTEGER>']);
    this.pos++;
    return Number(t.text);
  }

  private literal(): Literal {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'string', value: t.value };
    if (t.kind === 'number') return { kind: 'number', value: t.text };
    if (t.kind === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'true' || w === 'false') return { kind: 'bool', value: w === 'true' };
      if (w === 'current_date') return { kind: 'today' };
    }
    this.pos--;
    return this.fail(['<STRING>', '<NUMBER>', '"true"', '"false"']);
  }

  parse(): ParsedQuery {
    this.expectWord('select');
    let count = false;
    let projection: string[] | null = null;
    const first = this.peek();
    if (first.kind === 'punct' && first.text === '*') {
      this.pos++;
    } else if (this.isWord('count')) {
      this.pos++;
      this.expectPunct('(');
      this.expectPunct('*');
      this.expectPunct(')');
      count = true;
    } else {
      projection = [this.identifier()];
      while (this.peek().kind === 'punct' && this.peek().text === ',') {
        this.pos++;
        projection.push(this.identifier());
      }
    }
    this.expectWord('from');
    const entity = this.identifier();
    const where: Condition[] = [];
    if (this.isWord('where')) {
      this.pos++;
      where.push(this.condition());
      while (this.isWord('and')) {
        this.pos++;
        where.push(this.condition());
      }
    }
    const orderBy: OrderKey[] = [];
    let startPosition: number | null = null;
    let maxResults: number | null = null;
    for (;;) {
      if (this.isWord('orderby') || this.isWord('order')) {
        if (this.isWord('order')) {
          this.pos++;
          this.expectWord('by');
        } else this.pos++;
        do {
          if (orderBy.length > 0) this.pos++;
          const property = this.identifier();
          let descending = false;
          if (this.isWord('asc')) this.pos++;
          else if (this.isWord('desc')) {
            this.pos++;
            descending = true;
          }
          orderBy.push({ property, descending });
        } while (this.peek().kind === 'punct' && this.peek().text === ',');
      } else if (this.isWord('startposition') && startPosition === null) {
        this.pos++;
        startPosition = this.integer();
      } else if (this.isWord('maxresults') && maxResults === null) {
        this.pos++;
        maxResults = this.integer();
      } else break;
    }
    if (this.peek().kind !== 'eof') this.fail(['<EOF>', '<AND>', '"iterator"', '"maxresults"', '<OR>', '"order"', '"orderby"', '"startposition"']);
    return { count, projection, entity, where, orderBy, startPosition, maxResults };
  }

  private condition(): Condition {
    const property = this.identifier();
    const t = this.peek();
    if (t.kind === 'op' && ['=', '<', '>', '<=', '>='].includes(t.text)) {
      this.pos++;
      return { property, op: t.text as Operator, values: [this.literal()] };
    }
    if (this.isWord('like')) {
      this.pos++;
      const value = this.literal();
      if (value.kind !== 'string') this.fail(['<STRING>']);
      return { property, op: 'LIKE', values: [value] };
    }
    if (this.isWord('in')) {
      this.pos++;
      this.expectPunct('(');
      const values = [this.literal()];
      while (this.peek().kind === 'punct' && this.peek().text === ',') {
        this.pos++;
        values.push(this.literal());
      }
      this.expectPunct(')');
      return { property, op: 'IN', values };
    }
    return this.fail(['"="', '"<"', '">"', '"<="', '">="', '"like"', '"in"']);
  }
}

export function parseQuery(text: string): ParsedQuery {
  if (text.trim() === '') throw new QueryParserError('The query provided was empty');
  return new Parser(tokenize(text)).parse();
}
