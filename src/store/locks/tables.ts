import type { ColumnType } from 'kysely';

export interface LocksTable {
  /** e.g. `export:ACME` or `token-refresh:7`. */
  name: string;
  /** Random id of the holder (process + purpose). */
  owner: string;
  /** ISO time after which another holder may take the lease (a crashed holder cannot block forever). */
  expires_at: string;
  /** Raised by every acquisition (migration 0008): a holder checks its own number in each commit's transaction (fencing). */
  generation: ColumnType<number, number | undefined, number>;
  /** The holder's process (migration 0013): its pid, and the kernel boot and pid namespace that pid belongs to. */
  holder_pid: ColumnType<number | null, number | null | undefined, number | null>;
  holder_scope: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface LockTables {
  locks: LocksTable;
}
