import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Why PostgreSQL needs APP_SECRET set: shown when it is missing, so the operator knows what to do. */
export const APP_SECRET_REQUIRED_WITH_POSTGRES =
  'APP_SECRET: required with PostgreSQL — every instance (web apps and CLI) sharing the database must use the same one, ' +
  'or tokens saved by one cannot be read by the others; set it, the same everywhere (e.g. openssl rand -hex 32)';

/**
 * The generated secret of an embedded SQLite setup, `DATA_DIR/app-secret`, created at most once even when several
 * processes (`start` and a CLI command) start together: each writes its candidate to a private temp file and
 * hard-links it to the final name. link(2) fails with EEXIST when the name exists (O_EXCL semantics) and the file
 * appears complete or not at all, so exactly one candidate wins and every loser reads the winner's.
 */
export function generatedAppSecret(dataDir: string): string {
  const file = join(dataDir, 'app-secret');
  const existing = readSecret(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const candidate = randomBytes(32).toString('hex');
  const temp = join(dataDir, `.app-secret.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temp, `${candidate}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, file);
    return candidate;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = readSecret(file);
    if (!winner) throw new Error(`${file} exists but is empty: delete it or set APP_SECRET`, { cause: error });
    return winner;
  } finally {
    unlinkSync(temp);
  }
}

function readSecret(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
