/**
 * Injected failures for tests (docs/design.md "Emulator contract", POST /_emulator/faults). A rule matches
 * a method and the API path after `/v3/company/{realm}` ("/invoice" also matches "/invoice/12").
 */
export interface FaultRule {
  method?: string;
  path: string;
  status?: number;
  times: number;
  afterCommit: boolean;
  drop: boolean;
  delayMs: number;
  /** The connection drops at once and the request is applied this many ms later. */
  commitDelayMs?: number;
}

export type RuleParse = { ok: true; rules: FaultRule[] } | { ok: false; error: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseFaultRules(body: unknown): RuleParse {
  if (!isObject(body) || !Array.isArray(body.rules)) return { ok: false, error: 'body must be {"rules":[…]}' };
  const rules: FaultRule[] = [];
  for (const [i, r] of body.rules.entries()) {
    if (!isObject(r)) return { ok: false, error: `rules[${i}] must be an object` };
    if (typeof r.path !== 'string' || !r.path.startsWith('/')) return { ok: false, error: `rules[${i}].path must be a string starting with "/"` };
    if (r.method !== undefined && typeof r.method !== 'string') return { ok: false, error: `rules[${i}].method must be a string` };
    if (r.status !== undefined && (typeof r.status !== 'number' || r.status < 100 || r.status > 599)) return { ok: false, error: `rules[${i}].status must be an HTTP status` };
    if (r.times !== undefined && (typeof r.times !== 'number' || r.times < 1)) return { ok: false, error: `rules[${i}].times must be a positive number` };
    if (r.delayMs !== undefined && (typeof r.delayMs !== 'number' || r.delayMs < 0)) return { ok: false, error: `rules[${i}].delayMs must be ≥ 0` };
    if (r.commitDelayMs !== undefined && (typeof r.commitDelayMs !== 'number' || !Number.isFinite(r.commitDelayMs) || r.commitDelayMs < 0)) return { ok: false, error: `rules[${i}].commitDelayMs must be ≥ 0` };
    if (r.status === undefined && r.drop !== true && r.delayMs === undefined && r.commitDelayMs === undefined) return { ok: false, error: `rules[${i}] needs status, drop, delayMs or commitDelayMs` };
    const rule: FaultRule = {
      path: r.path.toLowerCase(), times: typeof r.times === 'number' ? Math.floor(r.times) : 1,
      afterCommit: r.afterCommit === true, drop: r.drop === true, delayMs: typeof r.delayMs === 'number' ? r.delayMs : 0,
    };
    if (typeof r.method === 'string') rule.method = r.method.toUpperCase();
    if (typeof r.status === 'number') rule.status = r.status;
    if (typeof r.commitDelayMs === 'number') rule.commitDelayMs = r.commitDelayMs;
    rules.push(rule);
  }
  return { ok: true, rules };
}

/** Takes the first matching rule and counts one use of it. */
export function takeMatchingRule(rules: FaultRule[], method: string, apiPath: string): FaultRule | undefined {
  const path = apiPath.toLowerCase();
  const index = rules.findIndex(
    (r) => (r.method === undefined || r.method === method.toUpperCase()) && (path === r.path || path.startsWith(`${r.path}/`)),
  );
  if (index < 0) return undefined;
  const rule = rules[index];
  if (!rule) return undefined;
  rule.times--;
  if (rule.times <= 0) rules.splice(index, 1);
  return rule;
}
