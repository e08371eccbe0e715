// Whether dist/ (scripts/build.mjs) holds a build of the sources as they are now. bin/qbo-export runs the
// compiled code only then, so an edited source file is never shadowed by an older build.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const distDir = join(repoRoot, 'dist');
export const stampFile = join(distDir, 'build-stamp.json');
/** What the build reads: any of these changed after the stamp means the build is stale. */
export const buildInputs = ['src', 'bench/lib/export-worker.ts', 'tsconfig.json', 'tsconfig.build.json'];

function newestMtime(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

export function newestInputMtime() {
  return Math.max(...buildInputs.map((p) => join(repoRoot, p)).filter((p) => existsSync(p)).map(newestMtime));
}

/** True when dist/ was built from the current sources (about 2 ms: one stat per source file). */
export function distIsCurrent() {
  if (!existsSync(stampFile)) return false;
  const { inputsMtimeMs } = JSON.parse(readFileSync(stampFile, 'utf8'));
  return typeof inputsMtimeMs === 'number' && newestInputMtime() <= inputsMtimeMs;
}
