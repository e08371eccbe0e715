import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenDecryptError, tokenCipher } from './crypto.ts';

const secret = 'a'.repeat(64);

void describe('token cipher (AES-256-GCM, HKDF key)', () => {
  void it('round-trips and never shows the token', () => {
    const sealed = tokenCipher(secret).encrypt('RT1-39-H3-secret-refresh');
    assert.match(sealed, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.ok(!sealed.includes('secret-refresh'));
    assert.equal(tokenCipher(secret).decrypt(sealed), 'RT1-39-H3-secret-refresh');
  });
  void it('uses a fresh IV each time', () => {
    const c = tokenCipher(secret);
    assert.notEqual(c.encrypt('same'), c.encrypt('same'));
  });
  void it('refuses another key and tampered data', () => {
    const sealed = tokenCipher(secret).encrypt('token');
    assert.throws(() => tokenCipher('b'.repeat(64)).decrypt(sealed), TokenDecryptError);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    assert.throws(() => tokenCipher(secret).decrypt(parts.join('.')), TokenDecryptError);
  });
});
