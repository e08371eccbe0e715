import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** The issuer Intuit puts in discovery and id_tokens; intuit-oauth checks it verbatim (docs/qbo-behaviour.md §1.10). */
export const INTUIT_ISSUER = 'https://oauth.platform.intuit.com/op/v1';

let keys: { privateKey: KeyObject; jwk: Record<string, unknown> } | undefined;

/** One RSA key per process, made on first use: only OpenID-scoped grants need it. */
function signingKey(): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  if (!keys) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid: 'emulator-1', use: 'sig', alg: 'RS256' } };
  }
  return keys;
}

export function jwks(): Record<string, unknown> {
  return { keys: [signingKey().jwk] };
}

export function idToken(clientId: string, realmId: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = enc({ alg: 'RS256', kid: 'emulator-1' });
  const claims = enc({ sub: `emulator-user-${realmId}`, aud: [clientId], realmid: realmId, auth_time: iat, iss: INTUIT_ISSUER, exp: iat + 3600, iat });
  const signature = createSign('RSA-SHA256').update(`${head}.${claims}`).sign(signingKey().privateKey).toString('base64url');
  return `${head}.${claims}.${signature}`;
}
