import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QboNetworkError, QboServerError, QboThrottledError, QboValidationError, type QboError } from './errors.ts';
import { backoffMs, defaultRetryPolicy, shouldRetry } from './retry.ts';

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, throttleDelayMs: 60_000 };
const base = { attempt: 1, isWrite: false, hasRequestId: false, policy, random: 0.5 };
const err = { qboCode: 'x', message: 'm' };
const decide = (error: QboError, more: Partial<typeof base> = {}) => shouldRetry({ ...base, ...more, error });

void describe('shouldRetry: one case per reason', () => {
  void it('not-retryable: validation errors are final', () => {
    assert.deepEqual(decide(new QboValidationError(err)), { retry: false, reason: 'not-retryable' });
  });
  void it('write-without-request-id: a POST without requestid is never sent twice', () => {
    assert.deepEqual(decide(new QboServerError(err), { isWrite: true }), { retry: false, reason: 'write-without-request-id' });
  });
  void it('a write with its requestid is retried', () => {
    assert.equal(decide(new QboServerError(err), { isWrite: true, hasRequestId: true }).retry, true);
  });
  void it('outcome-unknown: with retryWritesWithUnknownOutcome off, a write is not re-sent after a 5xx or no answer, but is after a 429', () => {
    const strict = { ...policy, retryWritesWithUnknownOutcome: false };
    assert.deepEqual(decide(new QboServerError(err), { isWrite: true, hasRequestId: true, policy: strict }), { retry: false, reason: 'outcome-unknown' });
    assert.deepEqual(decide(new QboNetworkError(err), { isWrite: true, hasRequestId: true, policy: strict }), { retry: false, reason: 'outcome-unknown' });
    assert.equal(decide(new QboThrottledError(err), { isWrite: true, hasRequestId: true, policy: strict }).retry, true);
    assert.equal(decide(new QboNetworkError(err), { policy: strict }).retry, true, 'reads are retried');
  });
  void it('attempts-exhausted', () => {
    assert.deepEqual(decide(new QboNetworkError(err), { attempt: 4 }), { retry: false, reason: 'attempts-exhausted' });
  });
  void it('throttled: honours Retry-After, else the configured wait (Intuit: 60 s)', () => {
    assert.deepEqual(decide(new QboThrottledError({ ...err, retryAfterMs: 2000 })), { retry: true, reason: 'throttled', delayMs: 2000 });
    assert.deepEqual(decide(new QboThrottledError(err)), { retry: true, reason: 'throttled', delayMs: 60_000 });
  });
  void it('server-error and network-error back off', () => {
    assert.deepEqual(decide(new QboServerError(err)), { retry: true, reason: 'server-error', delayMs: 75 });
    assert.deepEqual(decide(new QboNetworkError(err), { attempt: 2 }), { retry: true, reason: 'network-error', delayMs: 150 });
  });
});

void describe('backoffMs', () => {
  void it('doubles, caps, and jitters within [half, full]', () => {
    assert.equal(backoffMs(1, policy, 0), 50);
    assert.equal(backoffMs(1, policy, 1), 100);
    assert.equal(backoffMs(3, policy, 1), 400);
    assert.equal(backoffMs(10, policy, 1), 1000);
    assert.equal(backoffMs(10, policy, 0), 500);
  });
  void it('default policy waits 60 s after an unexplained 429', () => assert.equal(defaultRetryPolicy.throttleDelayMs, 60_000));
});
