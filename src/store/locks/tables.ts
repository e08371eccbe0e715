export interface LocksTable {
  /** e.g. `export:ACME` or `token-refresh:7`. */
  name: string;
  /** Random id of the holder (process + purpose). */
  owner: string;
  /** ISO time after which another holder may take the lease (a crashed holder cannot block forever). */
  expires_at: string;
}

export interface LockTables {
  locks: LocksTable;
}
