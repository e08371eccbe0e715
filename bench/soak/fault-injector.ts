import type { SeededRandom } from '../lib/random.ts';
import { HARSH_COMMIT_DELAY_MS } from './world.ts';
import { emulatorControl, type EmulatorStateSummary, type QboSession } from '../lib/qbo-session.ts';

/**
 * Makes about `rate` of the API calls fail, through the emulator's /_emulator/faults rules: each rule fails
 * the next matching call once (`times: 1`), so the injector keeps re-arming as calls are counted. Kinds are
 * what QBO and networks really do: 429 with Retry-After, 500, 503, the connection dropped before QBO acts,
 * and — the dangerous ones — the write committed and then the answer lost (dropped or a 500).
 */
export type FaultKind = '429' | '500' | '503' | 'drop' | 'drop-after-commit' | '500-after-commit' | 'commit-delay';

export const allFaultKinds: readonly FaultKind[] = ['429', '500', '503', 'drop', 'drop-after-commit', '500-after-commit'];
/** Harsh mode adds writes applied only after their connection dropped, later than the look-up that follows. */
export const harshFaultKinds: readonly FaultKind[] = [...allFaultKinds, 'commit-delay'];
const everyKind: readonly FaultKind[] = harshFaultKinds;

/** The API paths the exporter calls (after /v3/company/{realm}); a rule fails the next call on its path. */
const paths = ['/batch', '/batch', '/query', '/invoice', '/customer', '/item'] as const;

function rule(kind: FaultKind, path: string): Record<string, unknown> {
  switch (kind) {
    case '429': return { path, status: 429, times: 1 };
    case '500': return { path, status: 500, times: 1 };
    case '503': return { path, status: 503, times: 1 };
    case 'drop': return { path, drop: true, times: 1 };
    case 'drop-after-commit': return { method: 'POST', path: path === '/query' ? '/batch' : path, drop: true, afterCommit: true, times: 1 };
    case '500-after-commit': return { method: 'POST', path: path === '/query' ? '/batch' : path, status: 500, afterCommit: true, times: 1 };
    case 'commit-delay': return { method: 'POST', path: path === '/query' ? '/batch' : path, commitDelayMs: HARSH_COMMIT_DELAY_MS, times: 1 };
  }
}

export interface InjectorStats {
  /** Rules that fired, by kind (armed less those cleared unused). */
  fired: Record<FaultKind, number>;
  requests: number;
  /** The emulator's own count of injected faults. */
  injected: number;
}

interface PendingRule {
  path: string;
  status?: number;
  drop?: boolean;
  afterCommit?: boolean;
  commitDelayMs?: number;
}

function kindOf(r: PendingRule): FaultKind {
  if (r.commitDelayMs !== undefined) return 'commit-delay';
  if (r.drop) return r.afterCommit ? 'drop-after-commit' : 'drop';
  if (r.afterCommit) return '500-after-commit';
  return String(r.status) as FaultKind;
}

export class FaultInjector {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  /** When the oldest rule still pending was armed: rules for paths no longer called are cleared. */
  private pendingSince: number | null = null;
  private readonly armed = Object.fromEntries(everyKind.map((k) => [k, 0])) as Record<FaultKind, number>;
  /** Rules removed before they fired (armed on a path the run no longer called). */
  private readonly cleared = Object.fromEntries(everyKind.map((k) => [k, 0])) as Record<FaultKind, number>;
  private last: EmulatorStateSummary['counters'] = { requests: 0, throttled: 0, faultsInjected: 0, oauthRequests: 0 };

  constructor(
    private readonly session: QboSession,
    private readonly random: SeededRandom,
    private readonly rate: number,
    private readonly kinds: readonly FaultKind[],
  ) {}

  start(everyMs = 50): void {
    this.timer = setInterval(() => void this.tick(), everyMs);
  }

  async stop(): Promise<InjectorStats> {
    clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
    await this.clear();
    const state = await emulatorControl<EmulatorStateSummary>(this.session, 'GET', 'state');
    const fired = Object.fromEntries(everyKind.map((k) => [k, this.armed[k] - this.cleared[k]])) as Record<FaultKind, number>;
    return { fired, requests: state.counters.requests, injected: state.counters.faultsInjected };
  }

  /** Removes the rules still pending and counts them by kind as cleared. */
  private async clear(): Promise<void> {
    const state = await emulatorControl<EmulatorStateSummary>(this.session, 'GET', 'state');
    await emulatorControl(this.session, 'DELETE', 'faults');
    for (const rule of state.faultRules as PendingRule[]) this.cleared[kindOf(rule)]++;
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const state = await emulatorControl<EmulatorStateSummary>(this.session, 'GET', 'state');
      this.last = state.counters;
      const pending = state.faultRules.length;
      if (pending === 0) this.pendingSince = null;
      else if (this.pendingSince !== null && Date.now() - this.pendingSince > 2_000) {
        await this.clear();
        this.pendingSince = null;
        return;
      }
      const deficit = Math.floor(this.rate * this.last.requests) - this.last.faultsInjected - pending;
      if (deficit <= 0) return;
      const rules = Array.from({ length: Math.min(deficit, 5) }, () => {
        const kind = this.random.pick(this.kinds);
        this.armed[kind]++;
        return rule(kind, this.random.pick(paths));
      });
      await emulatorControl(this.session, 'POST', 'faults', { rules });
      this.pendingSince ??= Date.now();
    } catch {
      // The emulator is busy or closing: try again at the next tick.
    } finally {
      this.busy = false;
    }
  }
}
