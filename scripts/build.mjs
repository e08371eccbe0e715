#!/usr/bin/env node
// `npm run build` (also run by `npm install` / `npm ci` through `prepare`): compiles src/ to dist/ with tsc,
// copies the files the code reads at run time (web assets), and writes the stamp bin/qbo-export checks.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { distDir, newestInputMtime, repoRoot, stampFile } from './dist.mjs';

// Sources edited while tsc runs must count as newer than this build.
const inputsMtimeMs = newestInputMtime();
rmSync(distDir, { recursive: true, force: true });
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An install without dev dependencies has no compiler: bin/qbo-export then runs the sources through tsx.
  console.log('build: typescript is not installed; qbo-export will run from the TypeScript sources');
  process.exit(0);
}
const result = spawnSync(process.execPath, [tsc, '-p', join(repoRoot, 'tsconfig.build.json')], { stdio: 'inherit', cwd: repoRoot });
if (result.status !== 0) process.exit(result.status ?? 1);

/** Non-TypeScript files under src/ that the code loads next to itself (CSS, browser JS). */
function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (/\.(css|js)$/.test(name)) cpSync(path, join(distDir, relative(repoRoot, path)));
  }
}
copyAssets(join(repoRoot, 'src'));
writeFileSync(stampFile, `${JSON.stringify({ builtAt: new Date().toISOString(), inputsMtimeMs })}\n`);
