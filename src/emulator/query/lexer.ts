/**
 * Tokens of QBO's query language (docs/qbo-behaviour.md §5.1). Keywords are case-insensitive; strings are
 * single-quoted with `\'` as the escape for a quote (and `\\` for a backslash).
 */
export type TokenKind = 'word' | 'string' | 'number' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** For strings: the unescaped value. */
  value: string;
  column: number;
}

export class QueryParserError extends Error {}

const OPS = ['<=', '>=', '!=', '<>', '=', '<', '>'];

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const column = i + 1;
    if (c === "'") {
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < input.length) {
        const d = input[j] ?? '';
        if (d === '\\' && j + 1 < input.length) {
          value += input[j + 1];
          j += 2;
          continue;
        }
        if (d === "'") {
          closed = true;
          break;
        }
        value += d;
        j++;
      }
      if (!closed) {
        throw new QueryParserError(`Invalid content. Lexical error at line 1, column ${input.length + 1}.  Encountered: <EOF> after : "${input.slice(i)}"`);
      }
      tokens.push({ kind: 'string', text: input.slice(i, j + 1), value, column });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => input.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, value: op, column });
      i += op.length;
      continue;
    }
    if ('(),*'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, value: c, column });
      i++;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(input.slice(i));
    if (number && (c === '-' || /\d/.test(c))) {
      tokens.push({ kind: 'number', text: number[0], value: number[0], column });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(input.slice(i));
    if (word) {
      tokens.push({ kind: 'word', text: word[0], value: word[0], column });
      i += word[0].length;
      continue;
    }
    throw new QueryParserError(`Invalid content. Lexical error at line 1, column ${column}.  Encountered: "${c}" (${c.charCodeAt(0)}), after : ""`);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', value: '', column: input.length + 1 });
  return tokens;
}
