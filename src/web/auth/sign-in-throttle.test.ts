import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_FAILURES, SignInThrottle, WINDOW_MS } from './sign-in-throttle.ts';

void test('allows sign-in until the failures reach the limit', () => {
  const t = new SignInThrottle();
  for (let i = 0; i < MAX_FAILURES - 1; i++) t.failed('a@example.com', 1000 + i);
  assert.deepEqual(t.check('a@example.com', 2000), { allowed: true });
});

void test('refuses after the limit, with the wait until the oldest failure leaves the window', () => {
  const t = new SignInThrottle();
  for (let i = 0; i < MAX_FAILURES; i++) t.failed('a@example.com', 0);
  assert.deepEqual(t.check('a@example.com', 60_000), { allowed: false, retryAfterS: (WINDOW_MS - 60_000) / 1000 });
  assert.deepEqual(t.check('b@example.com', 60_000), { allowed: true });
});

void test('allows again once the window has passed or after a success', () => {
  const t = new SignInThrottle();
  for (let i = 0; i < MAX_FAILURES; i++) t.failed('a@example.com', 0);
  assert.deepEqual(t.check('a@example.com', WINDOW_MS), { allowed: true });
  for (let i = 0; i < MAX_FAILURES; i++) t.failed('c@example.com', 0);
  t.succeeded('c@example.com');
  assert.deepEqual(t.check('c@example.com', 1), { allowed: true });
});
