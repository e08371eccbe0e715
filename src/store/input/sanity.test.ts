import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateRecord } from '../import/validate.ts';
import { controlCharacterProblems, forTerminal, jsonForTerminal, jsonNestingExceeds, MAX_JSON_DEPTH } from './sanity.ts';

void test('names every field with a refused character; free text may hold tab and line breaks, never NUL', () => {
  const record = {
    name: 'A\u001bB', phone: '555\t1', notes: 'ok\tok\r\nok', description: 'bad\u0000', key: 'x\u0085', ok: 'Café 😀',
    lines: [{ description: 'line\none' }, { productNo: 'P\u0007' }], ['na\u0000me']: 'x', lone: 'a\udc00b',
  };
  assert.deepEqual(controlCharacterProblems(record).map((p) => p.path).sort(), ['description', 'key', 'lines[1].productNo', 'lone', 'na\u0000me', 'name', 'phone']);
  assert.match(controlCharacterProblems({ name: 'A\u001bB' })[0]?.message ?? '', /control character \(U\+001B\) at position 2/);
});

void test('walks a hostile nesting without recursion and reports it once', () => {
  let deep: unknown = 'x';
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.deepEqual(controlCharacterProblems({ a: deep }).map((p) => p.message), [`nested more than ${MAX_JSON_DEPTH} levels deep`]);
  assert.equal(jsonNestingExceeds('['.repeat(65) + ']'.repeat(65)), true);
  assert.equal(jsonNestingExceeds('['.repeat(64) + ']'.repeat(64)), false);
  assert.equal(jsonNestingExceeds(JSON.stringify({ s: '[[[[\\"{{{{'.repeat(100) })), false);
});

void test('the import refuses the same characters with the same messages as the REST API', () => {
  const checked = validateRecord('customers', { customerNo: 'C-1', name: 'Evil\u001b]0;pwned\u0007' });
  assert.equal(checked.ok, false);
  assert.deepEqual(!checked.ok && checked.problems.map((p) => p.path), ['name']);
});

void test('terminal text shows control characters as escapes; JSON stays valid and equal', () => {
  assert.equal(forTerminal('a\u001b[2Jb\u0007\u0000\u009b\ud800 tab\tline\n'), 'a\\x1b[2Jb\\x07\\x00\\x9b\\ud800 tab\tline\n');
  const value = { name: 'x\u007f\u009b\u001b\ud800' };
  const text = jsonForTerminal(value);
  // eslint-disable-next-line no-control-regex -- the point of the check
  assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f]/);
  assert.deepEqual(JSON.parse(text), value);
});
