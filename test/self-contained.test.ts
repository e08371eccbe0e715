import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// The repository must run wherever it is cloned (docs/design.md rule 18): nothing may read or cite a folder beside
// it or an absolute path of one machine. The patterns are assembled so that this file does not match itself.
const root = fileURLToPath(new URL('..', import.meta.url));
const sibling = new RegExp(['\\.\\.', 'shared'].join('/'));
const machinePath = new RegExp(`(^|[^\\w.~-])/(${['work', 'home', 'root', 'Users'].join('|')})/`);
const roots = ['src', 'test', 'bench', 'scripts', 'docs', 'bin', '.ci', 'README.md', 'eslint.config.js', 'package.json'];
const skipped = new Set(['node_modules', 'dist', 'data', '.git']);
const textFile = /\.(ts|mts|mjs|js|json|md|sh|txt|xml|csv|yml|yaml)$|^[^.]+$/;

function filesUnder(path: string, out: string[] = []): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return out;
  if (stat.isFile()) {
    if (textFile.test(path.split('/').pop() ?? '')) out.push(path);
    return out;
  }
  for (const name of readdirSync(path)) if (!skipped.has(name)) filesUnder(join(path, name), out);
  return out;
}

void test('no source, test, script or doc names a sibling folder or an absolute path of a machine', () => {
  const offending: string[] = [];
  const files = roots.flatMap((r) => filesUnder(join(root, r)));
  assert.ok(files.length > 100, `walked the repository (${files.length} files)`);
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (sibling.test(line) || machinePath.test(line)) offending.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(offending, []);
});

void test('the check recognises what it must refuse', () => {
  for (const bad of [`'${['..', 'shared', 'x'].join('/')}'`, `"/${'work'}/main/x"`, `cd /${'home'}/me`]) {
    assert.ok(sibling.test(bad) || machinePath.test(bad), bad);
  }
  for (const good of [`import { WorkQueue } from './work-queue.ts'`, 'docs/qbo-behaviour.md §2', 'https://x.example/work/a']) {
    assert.ok(!sibling.test(good) && !machinePath.test(good), good);
  }
});
