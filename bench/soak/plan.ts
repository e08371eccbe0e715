import { allFaultKinds, type FaultKind } from './fault-injector.ts';

/**
 * Sizes of each soak scenario. `full` is `npm run soak` (the README figures); `short` is what CI runs as
 * tests (test/soak/), each well under a minute. SOAK_SCALE=short|full picks one for either entry point.
 */
export interface SoakPlan {
  crash: { invoices: number; kills: number; latencyMs: number };
  faults: { invoices: number; rate: number; kinds: readonly FaultKind[]; latencyMs: number; maxRuns: number };
  instances: { invoices: number; starts: number; latencyMs: number };
  tokens: { invoices: number; advances: number; everyMs: number; limits: boolean; latencyMs: number };
  fuzz: { records: number; badShare: number };
}

export const fullPlan: SoakPlan = {
  crash: { invoices: 2_000, kills: 20, latencyMs: 100 },
  faults: { invoices: 2_000, rate: 0.1, kinds: allFaultKinds, latencyMs: 20, maxRuns: 10 },
  instances: { invoices: 2_000, starts: 20, latencyMs: 50 },
  // QBO's throttles and latency on: about a minute and a half of exporting, the token killed every 10 s.
  tokens: { invoices: 2_000, advances: 5, everyMs: 10_000, limits: true, latencyMs: 150 },
  fuzz: { records: 10_000, badShare: 0.3 },
};

export const shortPlan: SoakPlan = {
  // Slow answers stretch the short run so that kills land in every phase, not only in start-up.
  crash: { invoices: 80, kills: 5, latencyMs: 300 },
  // An injected 429 carries the emulator's `Retry-After: 60`, which the client honours: a minute's wait that
  // CI cannot afford. The full soak injects it.
  faults: { invoices: 80, rate: 0.1, kinds: allFaultKinds.filter((k) => k !== '429'), latencyMs: 50, maxRuns: 6 },
  instances: { invoices: 80, starts: 20, latencyMs: 50 },
  // Each token must outlive one call plus its refresh and retry (a token dying twice within one call is not a
  // real case) even on a loaded CI machine: the clock moves 3 s after each refresh, so the run needs 400 invoices.
  tokens: { invoices: 400, advances: 3, everyMs: 3_000, limits: false, latencyMs: 400 },
  fuzz: { records: 500, badShare: 0.3 },
};

export function planFor(scale: string | undefined, fallback: SoakPlan): SoakPlan {
  if (scale === 'short') return shortPlan;
  if (scale === 'full') return fullPlan;
  return fallback;
}
