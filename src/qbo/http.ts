import type { Logger } from '../config/logger.ts';
import { isQboError, QboAuthError, QboNetworkError, QboServerError, type QboError } from './errors.ts';
import { parseFault, parseRetryAfter, toQboError } from './fault.ts';
import { defaultRetryPolicy, shouldRetry } from './retry.ts';
import type { Clock, FetchLike, LimitKind, RealmLimiter, RetryPolicy, TokenSource } from './types.ts';

/** Everything one QBO call needs; `path` is relative to `/v3/company/{realmId}/`. */
export interface QboRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly params?: Readonly<Record<string, string>>;
  /** Already-serialised JSON. */
  readonly body?: string;
  readonly requestId?: string;
  /** See WriteOptions.beforeSend. */
  readonly beforeSend?: (() => Promise<void>) | undefined;
  readonly kind: LimitKind;
  /** For logs: `create Invoice`, `query Customer`, … */
  readonly op: string;
}

export interface Transport {
  readonly apiBase: string;
  readonly realmId: string;
  readonly tokens: TokenSource;
  readonly logger: Logger;
  readonly fetch: FetchLike;
  readonly limiter: RealmLimiter | null;
  readonly clock: Clock;
  readonly minorVersion: number;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
}

export interface QboResponse {
  readonly json: Record<string, unknown>;
  readonly intuitTid: string | null;
}

/** Percent-encodes like RFC 3986 (also `'`, `(`, `)`, `*`, `!`), spaces as %20 — never `+`. */
export function encodeParam(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function buildUrl(t: Pick<Transport, 'apiBase' | 'realmId' | 'minorVersion'>, req: Pick<QboRequest, 'path' | 'params' | 'requestId'>): string {
  const params: Record<string, string> = { ...req.params };
  if (req.requestId !== undefined) params.requestid = req.requestId;
  params.minorversion = String(t.minorVersion);
  const qs = Object.entries(params).map(([k, v]) => `${encodeParam(k)}=${encodeParam(v)}`).join('&');
  return `${t.apiBase}/v3/company/${encodeParam(t.realmId)}/${req.path}?${qs}`;
}

/**
 * Sends one call with the limiter, the bearer token, a refresh on 401, and retries by `shouldRetry`.
 * Every answer's `intuit_tid` goes to the log and onto the error (support asks for it).
 */
export async function send(t: Transport, req: QboRequest): Promise<QboResponse> {
  const url = buildUrl(t, req);
  const isWrite = req.method === 'POST' && req.op !== 'query';
  let token = await t.tokens.accessToken();
  // Intuit: a 401 means the access token expired or was revoked. A call may need two fresh tokens: the token a
  // parallel call refreshed can itself expire while this call waits its turn. A third 401 is final (a grant
  // refused for good shows up as invalid_grant on the refresh itself).
  let refreshesLeft = 2;
  for (let attempt = 1; ; attempt++) {
    const answered = t.limiter ? await t.limiter.acquire(t.realmId, req.kind) : null;
    if (req.beforeSend) {
      try {
        await req.beforeSend();
      } catch (refused) {
        answered?.();
        throw refused;
      }
    }
    let error: QboError;
    try {
      const result = await attemptOnce(t, req, url, token);
      if (!isQboError(result)) return result;
      error = result;
    } catch (cause) {
      error = new QboNetworkError({
        qboCode: 'NETWORK', message: `No answer from QuickBooks for ${req.op}: ${(cause as Error).message}`, cause,
      });
    } finally {
      answered?.();
    }
    if (error instanceof QboAuthError && error.httpStatus === 401 && refreshesLeft > 0) {
      refreshesLeft--;
      t.logger.info({ op: req.op, realmId: t.realmId, intuitTid: error.intuitTid }, 'QBO answered 401; refreshing the access token');
      token = await t.tokens.afterUnauthorized(token);
      attempt--;
      continue;
    }
    const decision = shouldRetry({
      error, attempt, isWrite, hasRequestId: req.requestId !== undefined, policy: t.retry, random: Math.random(),
    });
    t.logger.warn(
      { op: req.op, realmId: t.realmId, attempt, ...error.toLog(), retry: decision.retry, reason: decision.reason,
        ...(decision.retry ? { delayMs: decision.delayMs } : {}) },
      'QBO call failed',
    );
    if (!decision.retry) throw error;
    await t.clock.sleep(decision.delayMs);
  }
}

async function attemptOnce(t: Transport, req: QboRequest, url: string, token: string): Promise<QboResponse | QboError> {
  const started = t.clock.now();
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  if (req.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await t.fetch(url, {
    method: req.method,
    headers,
    ...(req.body !== undefined ? { body: req.body } : {}),
    signal: AbortSignal.timeout(t.timeoutMs),
  });
  const text = await response.text();
  const intuitTid = response.headers.get('intuit_tid');
  t.logger.debug(
    { op: req.op, method: req.method, path: req.path, status: response.status, intuitTid, ms: t.clock.now() - started },
    'QBO call',
  );
  if (response.ok) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      return new QboServerError({ qboCode: 'BAD_RESPONSE', message: `QuickBooks answered ${req.op} with something that is not JSON`, detail: text.slice(0, 500), intuitTid, httpStatus: response.status, cause });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return new QboServerError({ qboCode: 'BAD_RESPONSE', message: `QuickBooks answered ${req.op} with an unexpected JSON value`, intuitTid, httpStatus: response.status });
    }
    // A 200 may still carry a Fault (§3.2).
    const fault = 'Fault' in json ? parseFault(text) : null;
    if (fault) return toQboError(fault, { httpStatus: response.status, intuitTid });
    return { json: json as Record<string, unknown>, intuitTid };
  }
  return toQboError(parseFault(text), {
    httpStatus: response.status,
    intuitTid,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
    body: text,
  });
}

export function transportFrom(deps: {
  apiBase: string; realmId: string; tokens: TokenSource; logger: Logger; fetch?: FetchLike; limiter?: RealmLimiter;
  clock?: Clock; minorVersion?: number; retry?: Partial<RetryPolicy>; timeoutMs?: number;
}, fallbackClock: Clock): Transport {
  return {
    apiBase: deps.apiBase.replace(/\/$/, ''),
    realmId: deps.realmId,
    tokens: deps.tokens,
    logger: deps.logger,
    fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
    limiter: deps.limiter ?? null,
    clock: deps.clock ?? fallbackClock,
    minorVersion: deps.minorVersion ?? 75,
    retry: { ...defaultRetryPolicy, ...deps.retry },
    timeoutMs: deps.timeoutMs ?? 120_000,
  };
}
