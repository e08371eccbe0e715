/**
 * Slows password guessing: after MAX_FAILURES wrong passwords for one email within WINDOW_MS, that email
 * is refused until the window has passed. In memory, per app instance: scrypt already makes each guess
 * slow; this caps how many a single instance lets through.
 */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;

export type ThrottleDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterS: number };

export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  /** Whether a sign-in for this email may be tried now, and if not, for how long it waits. */
  check(email: string, now: number): ThrottleDecision {
    const recent = this.recent(email, now);
    if (recent.length < MAX_FAILURES) return { allowed: true };
    const oldest = recent[0] ?? now;
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) };
  }

  failed(email: string, now: number): void {
    this.failures.set(email, [...this.recent(email, now), now]);
    // Keep the map bounded: forget emails whose failures are all outside the window.
    if (this.failures.size > 10_000) {
      for (const key of this.failures.keys()) if (this.recent(key, now).length === 0) this.failures.delete(key);
    }
  }

  succeeded(email: string): void {
    this.failures.delete(email);
  }

  private recent(email: string, now: number): number[] {
    return (this.failures.get(email) ?? []).filter((t) => now - t < WINDOW_MS);
  }
}
