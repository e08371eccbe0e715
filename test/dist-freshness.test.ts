import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { distIsCurrent, newestInputMtime } from '../scripts/dist.mjs';

// bin/qbo-export runs dist/ only when distIsCurrent(): a stale build must never shadow edited sources.
const root = mkdtempSync(join(tmpdir(), 'qbo-dist-'));
after(() => rmSync(root, { recursive: true, force: true }));

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
function setTime(path: string, seconds: number): void {
  utimesSync(path, at(seconds), at(seconds));
}
function stamp(inputsMtimeMs: number): void {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist/build-stamp.json'), JSON.stringify({ builtAt: 'x', inputsMtimeMs }));
}

void test('dist/ is used only when no build input changed after the build', () => {
  mkdirSync(join(root, 'src/store'), { recursive: true });
  writeFileSync(join(root, 'src/store/a.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'src/store/b.ts'), 'export const b = 1;\n');
  writeFileSync(join(root, 'tsconfig.json'), '{}\n');
  for (const p of ['src/store/a.ts', 'src/store/b.ts', 'src/store', 'src', 'tsconfig.json']) setTime(join(root, p), 10);
  assert.equal(distIsCurrent(root), false, 'no build yet');

  stamp(newestInputMtime(root));
  assert.equal(distIsCurrent(root), true, 'just built');

  setTime(join(root, 'src/store/a.ts'), 20);
  assert.equal(distIsCurrent(root), false, 'a source edited after the build');

  stamp(newestInputMtime(root));
  rmSync(join(root, 'src/store/b.ts'));
  setTime(join(root, 'src/store'), 30);
  assert.equal(distIsCurrent(root), false, 'a source deleted after the build (its folder changed)');

  stamp(newestInputMtime(root));
  setTime(join(root, 'tsconfig.json'), 40);
  assert.equal(distIsCurrent(root), false, 'the compiler settings changed');
});
