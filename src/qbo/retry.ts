import type { QboError } from './errors.ts';
import type { RetryPolicy } from './types.ts';

/** Retries with capped exponential backoff (docs/design.md rule 12); 429 waits as Intuit advises. */
export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  throttleDelayMs: 60_000,
});

export type RetryReason =
  | 'not-retryable'
  | 'attempts-exhausted'
  | 'write-without-request-id'
  | 'outcome-unknown'
  | 'throttled'
  | 'server-error'
  | 'network-error';

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly reason: RetryReason }
  | { readonly retry: false; readonly reason: RetryReason };

export interface RetryInput {
  readonly error: QboError;
  /** Attempts already made (1 after the first failure). */
  readonly attempt: number;
  /** A POST that changes data. */
  readonly isWrite: boolean;
  readonly hasRequestId: boolean;
  readonly policy: RetryPolicy;
  /** In [0, 1): the jitter source, passed in so the decision stays pure. */
  readonly random: number;
}

/**
 * Whether to send the request again, and after how long. A write without its requestid is never
 * retried: QBO might have applied it, and only the requestid lets QBO answer the replay with the
 * original response instead of a second invoice.
 */
export function shouldRetry(input: RetryInput): RetryDecision {
  const { error, attempt, policy } = input;
  if (!error.retryable) return { retry: false, reason: 'not-retryable' };
  if (input.isWrite && !input.hasRequestId) return { retry: false, reason: 'write-without-request-id' };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
  if (input.isWrite && policy.retryWritesWithUnknownOutcome === false && error.code !== 'QBO_THROTTLED') return { retry: false, reason: 'outcome-unknown' };
  if (error.code === 'QBO_THROTTLED') {
    return { retry: true, reason: 'throttled', delayMs: error.retryAfterMs ?? policy.throttleDelayMs };
  }
  const reason: RetryReason = error.code === 'QBO_NETWORK' ? 'network-error' : 'server-error';
  return { retry: true, reason, delayMs: backoffMs(attempt, policy, input.random) };
}

/** base × 2^(attempt−1), capped, with "equal jitter" (half fixed, half random) so parallel callers spread out. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random);
}
