import type { Db } from '../../store/db.ts';
import { accountAttemptsKey, clearAttempts, returnAttempt, takeAttempt, type AttemptDecision } from '../../store/web/sign-in-attempts.ts';

/**
 * Slows password guessing. An attempt is counted **before** the password is checked (scrypt takes a while, and
 * parallel guesses must not all pass a "fewer than 5 failures" test at once), in the database, so that at most
 * MAX_PER_ACCOUNT passwords per account are evaluated in any WINDOW_MS on every instance together. A right
 * password clears the account's counter. Each client address may also take MAX_PER_ADDRESS attempts per window
 * (guessing one password across many accounts); a right password gives its address attempt back, so an office
 * behind one address is not locked out by its own sign-ins. The address is Fastify's `request.ip`, which
 * follows `X-Forwarded-For` only from the proxies TRUST_PROXY names.
 */
export const MAX_PER_ACCOUNT = 5;
export const MAX_PER_ADDRESS = 20;
export const WINDOW_MS = 15 * 60 * 1000;

function addressKey(address: string): string {
  return `address:${address}`;
}

export class SignInThrottle {
  constructor(private readonly db: Db) {}

  /** Takes one attempt for the address, then for the account; refused when either is used up. */
  async take(email: string, address: string, now = new Date()): Promise<AttemptDecision & { readonly by?: 'account' | 'address' }> {
    const byAddress = await takeAttempt(this.db.kysely, addressKey(address), MAX_PER_ADDRESS, WINDOW_MS, now);
    if (!byAddress.allowed) return { ...byAddress, by: 'address' };
    const byAccount = await takeAttempt(this.db.kysely, accountAttemptsKey(email), MAX_PER_ACCOUNT, WINDOW_MS, now);
    return byAccount.allowed ? byAccount : { ...byAccount, by: 'account' };
  }

  async succeeded(email: string, address: string): Promise<void> {
    await clearAttempts(this.db.kysely, accountAttemptsKey(email));
    await returnAttempt(this.db.kysely, addressKey(address));
  }
}
