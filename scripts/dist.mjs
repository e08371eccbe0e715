// Whether dist/ (scripts/build.mjs) holds a build of the sources as they are now. bin/qbo-export runs the
// compiled code only then, so an edited source file is never shadowed by an older build.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const distDir = join(repoRoot, 'dist');
const stampName = 'dist/build-stamp.json';
export const stampFile = join(repoRoot, stampName);
/** What the build reads: any of these changed after the stamp means the build is stale. */
export const buildInputs = ['src', 'bench/lib/export-worker.ts', 'tsconfig.json', 'tsconfig.build.json'];

function newestMtime(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** The newest modification time among the build's inputs under `root` (a deleted file changes its folder's). */
export function newestInputMtime(root = repoRoot) {
  return Math.max(0, ...buildInputs.map((p) => join(root, p)).filter((p) => existsSync(p)).map(newestMtime));
}

/** True when `root`'s dist/ was built from its current sources (about 2 ms: one stat per source file). */
export function distIsCurrent(root = repoRoot) {
  const stamp = join(root, stampName);
  if (!existsSync(stamp)) return false;
  const { inputsMtimeMs } = JSON.parse(readFileSync(stamp, 'utf8'));
  return typeof inputsMtimeMs === 'number' && newestInputMtime(root) <= inputsMtimeMs;
}
