import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The recorded QBO exchanges the tests replay, kept in the repository (`test/fixtures/qbo/`, where each file
 * came from is in its README). QBO_FIXTURES_DIR overrides. A missing folder is an error, not a silent skip.
 */
export function qboFixturesDir(): string {
  const dir = process.env.QBO_FIXTURES_DIR ?? fileURLToPath(new URL('../fixtures/qbo', import.meta.url));
  if (!existsSync(dir)) throw new Error(`QBO fixtures not found in ${dir} (set QBO_FIXTURES_DIR)`);
  return dir;
}
