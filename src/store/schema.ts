import type { ErpTables } from './erp/tables.ts';
import type { ConnectionTables } from './connections/tables.ts';
import type { RunTables } from './runs/tables.ts';
import type { WebTables } from './web/tables.ts';
import type { LockTables } from './locks/tables.ts';
import type { SyncTables } from './sync/tables.ts';
import type { CreditMemoTables } from './credit-memos/tables.ts';

/** The whole database as Kysely sees it; each feature folder declares its own tables. */
export interface Database extends ErpTables, ConnectionTables, RunTables, WebTables, LockTables, SyncTables, CreditMemoTables {}
