import type { Logger } from '../config/logger.ts';
import type { EntityName, EntityOf } from './entities.ts';
import type { QboError } from './errors.ts';
import type { Query } from './query.ts';

/** The narrow boundaries of the client (docs/design.md rule 3): tests and the emulator plug in here. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Where the client gets its bearer token. */
export interface TokenSource {
  /** A token valid for a while (refreshed ahead of expiry by the implementation). */
  accessToken(): Promise<string>;
  /**
   * QBO answered 401 to `rejected`: return a fresh token (refreshing at most once for that rejected token),
   * or throw ReconnectRequiredError when the grant itself is gone.
   */
  afterUnauthorized(rejected: string): Promise<string>;
}

export type LimitKind = 'request' | 'batch';

/** Waits until one more request for the realm stays inside QBO's throttles (§4). */
export interface RealmLimiter {
  /** Resolves when the request may be sent; call the returned function when its answer (or failure) arrived. */
  acquire(realmId: string, kind: LimitKind): Promise<() => void>;
}

export interface RetryPolicy {
  /** Total attempts including the first. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Wait after a 429 without Retry-After; Intuit advises 60 s (§4). */
  readonly throttleDelayMs: number;
  /**
   * Whether a write (with its requestid) is sent again after a 5xx or no answer. True by default; the exporter
   * turns it off: QBO may have applied the first send and may not remember the requestid (issue 13), so it looks
   * the record up instead. A throttled (429) write is always retried: QBO refused it before acting.
   */
  readonly retryWritesWithUnknownOutcome?: boolean;
}

export type BatchOperation = 'create' | 'update' | 'delete';

/** One item of `POST /batch` (§7). `bId` must be unique in the call; with a requestid, `requestid + bId` ≤ 50. */
export type BatchRequestItem =
  | { readonly bId: string; readonly operation: BatchOperation; readonly entity: EntityName; readonly body: object; readonly optionsData?: string }
  | { readonly bId: string; readonly query: Query<EntityName> };

/** Per-item outcome, matched by bId (QBO does not promise order). Items are independent: nothing is rolled back. */
export type BatchItemResult =
  | { readonly bId: string; readonly entityName: EntityName; readonly entity: EntityOf<EntityName> }
  | { readonly bId: string; readonly entityName: EntityName; readonly rows: EntityOf<EntityName>[] }
  | { readonly bId: string; readonly error: QboError };

export interface WriteOptions {
  /** Idempotency key (§2.4): stable for the same logical write, ≤ 50 characters (≤ 36 for batch). */
  readonly requestId: string;
  /**
   * Runs just before each send of the write (after the limiter's wait, again before every retry): the exporter
   * records the send's time and proves it still holds its lease there (issue 13). A throw sends nothing.
   */
  readonly beforeSend?: () => Promise<void>;
}

export interface QboClient {
  readonly realmId: string;
  create<E extends EntityName>(entity: E, body: object, opts: WriteOptions): Promise<EntityOf<E>>;
  read<E extends EntityName>(entity: E, id: string): Promise<EntityOf<E>>;
  update<E extends EntityName>(entity: E, body: object, opts: WriteOptions & { readonly sparse?: boolean }): Promise<EntityOf<E>>;
  /** One page (MAXRESULTS as given; QBO's default is 100). */
  query<E extends EntityName>(q: Query<E>): Promise<EntityOf<E>[]>;
  /** Every page, STARTPOSITION/MAXRESULTS 1000, until a short page. */
  queryAll<E extends EntityName>(q: Query<E>): Promise<EntityOf<E>[]>;
  count(q: Query<EntityName>): Promise<number>;
  /** ≤ 30 items. */
  batch(items: readonly BatchRequestItem[], opts: WriteOptions): Promise<BatchItemResult[]>;
  companyInfo(): Promise<EntityOf<'CompanyInfo'>>;
  /** GET /cdc: what changed since `changedSince` (≤ 30 days back, ≤ 1,000 per entity), deleted ones as stubs. */
  changeDataCapture<E extends EntityName>(entities: readonly E[], changedSince: string): Promise<ChangeDataCapture<E>>;
  preferences(): Promise<EntityOf<'Preferences'>>;
}

/** One CDC answer: per entity the changed rows (a deleted one is `{Id, status: "Deleted", MetaData}`), and QBO's time. */
export interface ChangeDataCapture<E extends EntityName> {
  /** The envelope's `time`: QBO's clock when it answered, where the next sweep starts. */
  readonly time: string;
  readonly changes: { readonly [K in E]: EntityOf<K>[] };
}

export interface QboClientDeps {
  /** e.g. `https://quickbooks.api.intuit.com` or the emulator's URL. */
  readonly apiBase: string;
  readonly realmId: string;
  readonly tokens: TokenSource;
  readonly logger: Logger;
  readonly fetch?: FetchLike;
  readonly limiter?: RealmLimiter;
  readonly clock?: Clock;
  readonly minorVersion?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout; QBO itself gives up after 120 s (§4). */
  readonly timeoutMs?: number;
}
