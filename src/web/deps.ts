import type { Config } from '../config/index.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../store/db.ts';

/** What the web app is built from (STYLE.md rule 2: the factory takes its dependencies). */
export interface WebDeps {
  readonly db: Db;
  readonly config: Config;
  readonly logger: Logger;
  /** Clock for pages that show "expires in N days" and the 30-day chart; tests may pin it. */
  readonly now?: () => Date;
}
