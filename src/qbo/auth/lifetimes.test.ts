import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daysUntilRefreshExpiry, decideToken, expiryWarning, type TokenTimes } from './lifetimes.ts';

const now = new Date('2026-11-25T12:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const DAY = 86_400_000;
const healthy: TokenTimes = { needsReconnect: false, accessTokenExpiresAt: at(3_600_000), refreshTokenExpiresAt: at(100 * DAY), hardExpiresAt: at(1800 * DAY) };

void describe('decideToken: one case per reason', () => {
  void it('fresh → use', () => assert.deepEqual(decideToken(healthy, now), { action: 'use', reason: 'fresh' }));
  void it('expiring-soon → refresh (less than 5 minutes left)', () => {
    assert.deepEqual(decideToken({ ...healthy, accessTokenExpiresAt: at(4 * 60_000) }, now), { action: 'refresh', reason: 'expiring-soon' });
  });
  void it('expired → refresh', () => {
    assert.deepEqual(decideToken({ ...healthy, accessTokenExpiresAt: at(-1) }, now), { action: 'refresh', reason: 'expired' });
  });
  void it('rejected-by-qbo → refresh even when it looks fresh', () => {
    assert.deepEqual(decideToken(healthy, now, true), { action: 'refresh', reason: 'rejected-by-qbo' });
  });
  void it('not-connected → reconnect', () => assert.deepEqual(decideToken(null, now), { action: 'reconnect', reason: 'not-connected' }));
  void it('marked-needs-reconnect → reconnect', () => {
    assert.deepEqual(decideToken({ ...healthy, needsReconnect: true }, now), { action: 'reconnect', reason: 'marked-needs-reconnect' });
  });
  void it('refresh-expired → reconnect (100 rolling days passed)', () => {
    assert.deepEqual(decideToken({ ...healthy, refreshTokenExpiresAt: at(-1) }, now), { action: 'reconnect', reason: 'refresh-expired' });
  });
  void it('hard-expired → reconnect (5-year cap reached)', () => {
    assert.deepEqual(decideToken({ ...healthy, hardExpiresAt: at(-1) }, now), { action: 'reconnect', reason: 'hard-expired' });
  });
});

void describe('expiry warning', () => {
  void it('is silent with 14 days or more left', () => {
    assert.equal(expiryWarning({ ...healthy, refreshTokenExpiresAt: at(14 * DAY + 1000) }, now), null);
  });
  void it('warns about the rolling expiry below 14 days', () => {
    const times = { ...healthy, refreshTokenExpiresAt: at(13 * DAY + 1000) };
    assert.equal(daysUntilRefreshExpiry(times, now), 13);
    assert.match(expiryWarning(times, now) ?? '', /expires in 13 day/);
  });
  void it('warns about the hard cap when it comes first', () => {
    const times = { ...healthy, hardExpiresAt: at(3 * DAY + 1000) };
    assert.equal(daysUntilRefreshExpiry(times, now), 3);
    assert.match(expiryWarning(times, now) ?? '', /5-year limit in 3 day/);
  });
});
