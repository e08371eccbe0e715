import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The recorded QBO exchanges live in the team's shared folder beside the repository (`../shared/qbo-fixtures`,
 * as CI lays it out); QBO_FIXTURES_DIR overrides. A missing folder is an error, not a silent skip.
 */
export function qboFixturesDir(): string {
  const candidates = [
    process.env.QBO_FIXTURES_DIR,
    fileURLToPath(new URL('../../../shared/qbo-fixtures', import.meta.url)),
    '/work/shared/qbo-fixtures',
  ].filter((d): d is string => d !== undefined);
  const found = candidates.find((d) => existsSync(d));
  if (!found) throw new Error(`QBO fixtures not found; looked in ${candidates.join(', ')} (set QBO_FIXTURES_DIR)`);
  return found;
}
