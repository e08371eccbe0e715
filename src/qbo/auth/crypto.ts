import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../../config/errors.ts';

/**
 * Tokens at rest: AES-256-GCM with a key stretched from APP_SECRET by HKDF-SHA256 (fixed salt and info, so the same
 * secret always gives the same key). Format `v2.<iv>.<tag>.<ciphertext>` in base64url, bound to its row and column by
 * GCM's associated data (`connections:<companyId>:refresh_token`): a ciphertext copied to another company's row or
 * column does not decrypt. `v1.` values (before the binding) still decrypt and count as stale, as do values that
 * only APP_SECRET_PREVIOUS opens: the token store re-encrypts stale values with APP_SECRET on use.
 */
const SALT = 'qbo-export/token-store/v1';
const INFO = 'aes-256-gcm token encryption';

/** What every surface (QuickBooks Authentication page, `connection`, the Process Log) says when no key opens a token. */
export const SECRET_MISMATCH_MESSAGE = 'APP_SECRET changed or wrong: restore it, or reconnect';

export type TokenColumn = 'access_token' | 'refresh_token';

/** The associated data of a stored token: its table, row and column. */
export function tokenAad(companyId: number, column: TokenColumn): string {
  return `connections:${companyId}:${column}`;
}

export interface OpenedToken {
  readonly plain: string;
  /** Sealed without the binding or with the previous secret: re-encrypt with the current one. */
  readonly stale: boolean;
}

export interface TokenCipher {
  encrypt(plain: string, aad: string): string;
  open(sealed: string, aad: string): OpenedToken;
  decrypt(sealed: string, aad: string): string;
}

export interface TokenSecrets {
  readonly appSecret: string;
  readonly appSecretPrevious?: string | null;
}

export class TokenDecryptError extends AppError<'TOKEN_DECRYPT_FAILED'> {
  readonly code = 'TOKEN_DECRYPT_FAILED';
  readonly retryable = false;
  constructor(cause: unknown) {
    super(SECRET_MISMATCH_MESSAGE, { cause });
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

function unseal(key: Buffer, parts: readonly string[], aad: string | null): string {
  const [, iv, tag, body] = parts;
  if (iv === undefined || tag === undefined || body === undefined) throw new Error('unknown token format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  if (aad !== null) decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** A cipher from the current secret (encrypts and decrypts) and, while rotating, the previous one (decrypts only). */
export function tokenCipher(secrets: TokenSecrets | string): TokenCipher {
  const { appSecret, appSecretPrevious } = typeof secrets === 'string' ? { appSecret: secrets, appSecretPrevious: null } : secrets;
  const current = keyFor(appSecret);
  const candidates = appSecretPrevious ? [current, keyFor(appSecretPrevious)] : [current];
  const open = (sealed: string, aad: string): OpenedToken => {
    const parts = sealed.split('.');
    const version = parts[0];
    let failure: unknown = new Error('unknown token format');
    if (version === 'v1' || version === 'v2') {
      for (const key of candidates) {
        try {
          const plain = unseal(key, parts, version === 'v2' ? aad : null);
          return { plain, stale: version === 'v1' || key !== current };
        } catch (error) {
          failure = error;
        }
      }
    }
    throw new TokenDecryptError(failure);
  };
  return {
    encrypt(plain, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v2', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open,
    decrypt: (sealed, aad) => open(sealed, aad).plain,
  };
}
