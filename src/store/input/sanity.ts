/**
 * Hostile-input checks shared by the import (files) and the REST API (bodies), so that both refuse the same
 * text the same way, and the escaping every terminal output goes through.
 *
 * Refused in any text we store — names, numbers, codes, keys and object keys: C0 control characters (U+0000–
 * U+001F), DEL (U+007F), C1 controls (U+0080–U+009F) and lone UTF-16 surrogates. Free-text fields (descriptions,
 * notes) may hold tab, line feed and carriage return; NUL is refused everywhere. Such characters reach
 * QuickBooks, pages and terminals (ESC starts a terminal escape sequence: `log` would run it).
 */

/** Fields whose text may span lines. */
export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set(['description', 'notes', 'memo', 'privateNote']);

/** Nesting beyond this is refused before anything walks it (no record of ours is more than 4 deep). */
export const MAX_JSON_DEPTH = 64;

export interface SanityProblem {
  /** Path in the record, e.g. `lines[0].description`; `''` for the record itself. */
  readonly path: string;
  readonly message: string;
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex -- as above, tab, line feed and carriage return allowed
const CONTROL_IN_FREE_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first refused character of `text` and where it is, or null. */
export function firstControlCharacter(text: string, freeText: boolean): { char: string; index: number } | null {
  const match = (freeText ? CONTROL_IN_FREE_TEXT : CONTROL).exec(text);
  return match ? { char: match[0], index: match.index } : null;
}

function describe(found: { char: string; index: number }, freeText: boolean): string {
  const what = /[\ud800-\udfff]/.test(found.char) ? `a lone surrogate (${codePoint(found.char)})` : `a control character (${codePoint(found.char)})`;
  return `contains ${what} at position ${found.index + 1}; remove it${freeText ? ' (only tab and line breaks are allowed here)' : ''}`;
}

function joinPath(base: string, part: string | number): string {
  if (typeof part === 'number') return `${base}[${part}]`;
  return base ? `${base}.${part}` : part;
}

/**
 * Every string value and object key of a parsed record checked, without recursion (a hostile record may be
 * deeply nested): one problem per field, naming it. Nesting deeper than MAX_JSON_DEPTH is one problem.
 */
export function controlCharacterProblems(record: unknown): SanityProblem[] {
  const problems: SanityProblem[] = [];
  const stack: Array<{ value: unknown; path: string; key: string; depth: number }> = [{ value: record, path: '', key: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, key, depth } = stack.pop() as (typeof stack)[number];
    if (typeof value === 'string') {
      const freeText = FREE_TEXT_FIELDS.has(key);
      const found = firstControlCharacter(value, freeText);
      if (found) problems.push({ path, message: describe(found, freeText) });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      problems.push({ path, message: `nested more than ${MAX_JSON_DEPTH} levels deep` });
      continue;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [part, child] = entries[i] as [string | number, unknown];
      const childPath = joinPath(path, part);
      if (typeof part === 'string') {
        const found = firstControlCharacter(part, false);
        if (found) {
          problems.push({ path: childPath, message: `the field name ${describe(found, false)}` });
          continue;
        }
      }
      stack.push({ value: child, path: childPath, key: typeof part === 'string' ? part : key, depth: depth + 1 });
    }
  }
  return problems;
}

/**
 * Whether JSON text nests objects and arrays deeper than `limit`, found by one pass over the text (strings
 * skipped), before JSON.parse or any walk of the result: a 100,000-deep body must be a 400, not a stack overflow.
 */
export function jsonNestingExceeds(text: string, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i += 1; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 125 || c === 93) depth -= 1;
  }
  return false;
}

// eslint-disable-next-line no-control-regex -- as above, tab and line feed allowed
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as a terminal may show it: every control character but tab and line feed, and every lone surrogate, as a
 * visible escape (`\x1b`, `\x9b`, `\ud800`). Applied to everything the CLI prints, data or not.
 */
export function forTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/**
 * JSON for a terminal: JSON.stringify already escapes C0 and lone surrogates; DEL and C1 it leaves raw, so they
 * are written as `\u007f`-style escapes (the document parses to the same value).
 */
export function jsonForTerminal(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/[\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
