import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';

/** Anything a read or a single self-contained write can run on: the database or an open transaction. */
export type Queryable = Kysely<Database> | Transaction<Database>;

/** Timestamps are stored as ISO UTC text in both dialects. */
export function nowIso(at: Date = new Date()): string {
  return at.toISOString();
}
