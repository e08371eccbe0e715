import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UNAUTHORIZED_MESSAGE } from '../../qbo/errors.ts';
import { notConnected, type ConnectionView } from '../connection.ts';
import { connectionBadge } from './badges.ts';

const healthy: ConnectionView = {
  connected: true, realmId: '9341', companyName: 'Books', previousRealmId: null, previousCompanyName: null,
  needsReconnect: false, reason: null, reasonCode: null, lastRefreshAt: null,
  accessTokenExpiresAt: '2026-11-25T20:00:00Z', refreshTokenExpiresAt: '2027-03-01T00:00:00Z', hardExpiresAt: null,
  daysUntilRefreshExpiry: 90, warning: null,
};

void test('badge: connected', () => {
  assert.deepEqual(connectionBadge(healthy), { kind: 'ok', text: 'Connected', detail: null });
});

void test('badge: refresh token expires in N days', () => {
  const badge = connectionBadge({ ...healthy, daysUntilRefreshExpiry: 5, warning: 'expires soon' });
  assert.equal(badge.kind, 'warn');
  assert.equal(badge.text, 'Refresh token expires in 5 days');
  assert.equal(connectionBadge({ ...healthy, daysUntilRefreshExpiry: 1 }).text, 'Refresh token expires in 1 day');
});

void test("badge: reconnect needed, with the seed's UNAUTHORIZED sentence", () => {
  const badge = connectionBadge({ ...healthy, needsReconnect: true, reason: UNAUTHORIZED_MESSAGE });
  assert.equal(badge.kind, 'error');
  assert.equal(badge.text, 'Reconnect needed');
  assert.equal(badge.detail, UNAUTHORIZED_MESSAGE);
});

void test('badge: not connected yet', () => {
  const badge = connectionBadge(notConnected);
  assert.equal(badge.kind, 'error');
  assert.equal(badge.text, 'Not connected');
});

void test('badge: a token the key cannot open says only that', () => {
  const reason = 'APP_SECRET changed or wrong: restore it, or reconnect';
  assert.deepEqual(connectionBadge({ ...healthy, needsReconnect: true, reason, reasonCode: 'secret-mismatch' }), { kind: 'error', text: 'Reconnect needed', detail: reason });
});
