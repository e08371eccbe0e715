import assert from 'node:assert/strict';
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SECRET_MISMATCH_MESSAGE, TokenDecryptError, tokenAad, tokenCipher } from './crypto.ts';

const secret = 'a'.repeat(64);
const aad = tokenAad(7, 'refresh_token');

/** A `v1.` value as the code before the row binding wrote it (no associated data). */
function sealV1(appSecret: string, plain: string): string {
  const key = Buffer.from(hkdfSync('sha256', appSecret, 'qbo-export/token-store/v1', 'aes-256-gcm token encryption', 32));
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

void describe('token cipher (AES-256-GCM, HKDF key, bound to row and column)', () => {
  void it('round-trips and never shows the token', () => {
    const sealed = tokenCipher(secret).encrypt('RT1-39-H3-secret-refresh', aad);
    assert.match(sealed, /^v2\.[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.ok(!sealed.includes('secret-refresh'));
    assert.deepEqual(tokenCipher(secret).open(sealed, aad), { plain: 'RT1-39-H3-secret-refresh', stale: false });
  });
  void it('uses a fresh IV each time', () => {
    const c = tokenCipher(secret);
    assert.notEqual(c.encrypt('same', aad), c.encrypt('same', aad));
  });
  void it('refuses another key, another row or column, and tampered data, with the one sentence', () => {
    const sealed = tokenCipher(secret).encrypt('token', aad);
    assert.throws(() => tokenCipher('b'.repeat(64)).decrypt(sealed, aad), (e: unknown) => e instanceof TokenDecryptError && e.message === SECRET_MISMATCH_MESSAGE);
    assert.throws(() => tokenCipher(secret).decrypt(sealed, tokenAad(8, 'refresh_token')), TokenDecryptError);
    assert.throws(() => tokenCipher(secret).decrypt(sealed, tokenAad(7, 'access_token')), TokenDecryptError);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    assert.throws(() => tokenCipher(secret).decrypt(parts.join('.'), aad), TokenDecryptError);
  });
  void it('opens values of the previous secret and unbound v1 values, marked stale', () => {
    const old = 'c'.repeat(64);
    const rotating = tokenCipher({ appSecret: secret, appSecretPrevious: old });
    assert.deepEqual(rotating.open(tokenCipher(old).encrypt('t1', aad), aad), { plain: 't1', stale: true });
    assert.deepEqual(rotating.open(sealV1(old, 't2'), aad), { plain: 't2', stale: true });
    assert.deepEqual(tokenCipher(secret).open(sealV1(secret, 't3'), aad), { plain: 't3', stale: true });
    assert.throws(() => tokenCipher(secret).open(tokenCipher(old).encrypt('t1', aad), aad), TokenDecryptError);
  });
});
