import type { ConnectionStore } from '../qbo/auth/connection-store.ts';
import type { Db } from '../store/db.ts';
import { SqlConnectionStore } from '../store/connections/store.ts';

/**
 * The database's QuickBooks connections behind qbo/auth's `ConnectionStore`. Wired here, in a layer that may import
 * both: the compiler checks that the store's implementation fits the QBO layer's interface.
 */
export function connectionStore(db: Db): ConnectionStore {
  return SqlConnectionStore.of(db);
}
