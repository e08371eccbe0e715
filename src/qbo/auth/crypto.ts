import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../../config/errors.ts';

/**
 * Tokens at rest: AES-256-GCM with a key stretched from APP_SECRET by HKDF-SHA256 (fixed salt and
 * info, so the same secret always gives the same key; a different purpose would use a different info).
 * Format `v1.<iv>.<tag>.<ciphertext>` in base64url, so the key or algorithm can change later.
 */
const SALT = 'qbo-export/token-store/v1';
const INFO = 'aes-256-gcm token encryption';

export interface TokenCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export class TokenDecryptError extends AppError<'TOKEN_DECRYPT_FAILED'> {
  readonly code = 'TOKEN_DECRYPT_FAILED';
  readonly retryable = false;
  constructor(cause: unknown) {
    super('A stored QuickBooks token could not be decrypted (was APP_SECRET changed?)', { cause });
  }
}

const keys = new Map<string, Buffer>();

function keyFor(appSecret: string): Buffer {
  let key = keys.get(appSecret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', appSecret, SALT, INFO, 32));
    keys.set(appSecret, key);
  }
  return key;
}

export function tokenCipher(appSecret: string): TokenCipher {
  const key = keyFor(appSecret);
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(sealed) {
      try {
        const [version, iv, tag, body] = sealed.split('.');
        if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined) throw new Error('unknown token format');
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new TokenDecryptError(error);
      }
    },
  };
}
