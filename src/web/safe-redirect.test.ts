import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PAGE, safeRedirectTarget } from './safe-redirect.ts';

void test('keeps same-site paths, re-encoded; everything else falls back to the default page', () => {
  assert.equal(safeRedirectTarget('/process-log?status=failed#top'), '/process-log?status=failed#top');
  assert.equal(safeRedirectTarget('/setup/é'), '/setup/%C3%A9');
  assert.equal(safeRedirectTarget('/a/../b'), '/b');
  for (const bad of [undefined, null, 42, ['/x'], '', 'x', 'https://evil.example', '//evil.example', '/\\evil.example', '/a\\b',
    '/\t/evil.example', '/\n/evil.example', '/\r\nX: 1', '/\u0000', '/\u001b[2J', '/\u007f', '/\u009b', '/\ud800', 'javascript:alert(1)', `/${'a'.repeat(3000)}`]) {
    assert.equal(safeRedirectTarget(bad), DEFAULT_PAGE, JSON.stringify(bad));
  }
  assert.equal(safeRedirectTarget('//x', '/sign-in'), '/sign-in');
});
