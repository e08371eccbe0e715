import { z } from 'zod';
import {
  QboAuthError, QboDuplicateDocNumberError, QboDuplicateNameError, QboNotFoundError, QboServerError,
  QboStaleObjectError, QboThrottledError, QboValidationError,
  type FaultItem, type QboError, type QboErrorCode,
} from './errors.ts';

/**
 * QBO's three error envelopes (docs/qbo-behaviour.md §3) parsed with schemas and classified (docs/design.md rule 7):
 * upper-case `{"Fault":{"Error":[…],"type"}}` (400s, batch items), lower-case `{"fault":{"error":[…]}}`
 * (401/403 from the gateway) and the XML `<IntuitResponse><Fault>` that the throttle still sends.
 */
const code = z.union([z.string(), z.number()]).transform(String);

const upperItem = z.looseObject({
  Message: z.string().nullish(),
  Detail: z.string().nullish(),
  code,
  element: z.string().nullish(),
});
export const upperFaultSchema = z.looseObject({
  Error: z.array(upperItem).min(1),
  type: z.string().nullish(),
});
export const upperFaultEnvelope = z.looseObject({ Fault: upperFaultSchema });

const lowerItem = z.looseObject({
  message: z.string().nullish(),
  detail: z.string().nullish(),
  code,
  element: z.string().nullish(),
});
export const lowerFaultEnvelope = z.looseObject({
  fault: z.looseObject({ error: z.array(lowerItem).min(1), type: z.string().nullish() }),
});

export interface ParsedFault {
  readonly type: string | null;
  readonly items: readonly FaultItem[];
}

export function faultFromUpper(fault: z.infer<typeof upperFaultSchema>): ParsedFault {
  return {
    type: fault.type ?? null,
    items: fault.Error.map((e) => ({ code: e.code, message: e.Message ?? '', detail: e.Detail ?? null, element: e.element ?? null })),
  };
}

/** Finds a Fault in any of the envelopes; null when the body holds none. */
export function parseFault(body: string): ParsedFault | null {
  const trimmed = body.trimStart();
  if (trimmed.startsWith('<')) return parseXmlFault(trimmed);
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return null;
  }
  const upper = upperFaultEnvelope.safeParse(json);
  if (upper.success) return faultFromUpper(upper.data.Fault);
  const lower = lowerFaultEnvelope.safeParse(json);
  if (lower.success) {
    return {
      type: lower.data.fault.type ?? null,
      items: lower.data.fault.error.map((e) => ({ code: e.code, message: e.message ?? '', detail: e.detail ?? null, element: e.element ?? null })),
    };
  }
  return null;
}

/** `<Fault type="…"><Error code="…" element="…"><Message>…</Message><Detail>…</Detail></Error></Fault>`. */
function parseXmlFault(xml: string): ParsedFault | null {
  const fault = /<Fault\b([^>]*)>([\s\S]*?)<\/Fault>/.exec(xml);
  if (!fault) return null;
  const items: FaultItem[] = [];
  for (const m of (fault[2] ?? '').matchAll(/<Error\b([^>]*)>([\s\S]*?)<\/Error>/g)) {
    const attrs = m[1] ?? '';
    const inner = m[2] ?? '';
    const errorCode = attribute(attrs, 'code');
    if (errorCode === null) continue;
    items.push({
      code: errorCode,
      message: element(inner, 'Message') ?? '',
      detail: element(inner, 'Detail'),
      element: attribute(attrs, 'element'),
    });
  }
  if (items.length === 0) return null;
  return { type: attribute(fault[1] ?? '', 'type'), items };
}

function attribute(attrs: string, name: string): string | null {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return m ? unescapeXml(m[1] ?? '') : null;
}

function element(xml: string, name: string): string | null {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? unescapeXml(m[1] ?? '') : null;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

/**
 * The decision: which typed error a (status, fault) pair is. Pure; `httpStatus` is null for batch items.
 * Order matters: throttling and auth are recognised by code whatever the status (the 2016 throttle came as 403).
 */
export function classifyFault(httpStatus: number | null, fault: ParsedFault | null): QboErrorCode {
  const first = fault?.items[0]?.code ?? null;
  const n = first === null ? NaN : Number(first);
  const type = fault?.type?.toLowerCase() ?? '';
  if (n === 3001 || httpStatus === 429) return 'QBO_THROTTLED';
  if (httpStatus === 401 || httpStatus === 403 || n === 3200 || n === 3100 || n === 100 || n === 120 || n === 130) return 'QBO_AUTH';
  if (type.startsWith('authenticat') || type.startsWith('authorizat')) return 'QBO_AUTH';
  if (httpStatus !== null && httpStatus >= 500) return 'QBO_SERVER';
  if (n === 610 || httpStatus === 404) return 'QBO_NOT_FOUND';
  if (n === 6240) return 'QBO_DUPLICATE_NAME';
  if (n === 6140 || n === 6210) return 'QBO_DUPLICATE_DOC_NUMBER';
  if (n === 5010) return 'QBO_STALE_OBJECT';
  if (n >= 10000 || type === 'systemfault') return 'QBO_SERVER';
  return 'QBO_VALIDATION';
}

export interface FaultContext {
  readonly httpStatus: number | null;
  readonly intuitTid: string | null;
  readonly retryAfterMs?: number | null;
  /** The raw body, kept (shortened) as the detail when it held no Fault we could read. */
  readonly body?: string;
}

/** Builds the typed error for a failed answer or a faulted batch item. */
export function toQboError(fault: ParsedFault | null, ctx: FaultContext): QboError {
  const kind = classifyFault(ctx.httpStatus, fault);
  const first = fault?.items[0];
  const init = {
    qboCode: first?.code ?? (ctx.httpStatus === null ? 'UNKNOWN' : `HTTP_${ctx.httpStatus}`),
    message: first?.message || (ctx.httpStatus === null ? 'QBO fault without a message' : `QBO answered HTTP ${ctx.httpStatus}`),
    detail: first ? first.detail : ctx.body ? ctx.body.slice(0, 500) : null,
    element: first?.element ?? null,
    intuitTid: ctx.intuitTid,
    httpStatus: ctx.httpStatus,
    faultType: fault?.type ?? null,
    ...(fault ? { errors: fault.items } : {}),
  };
  switch (kind) {
    case 'QBO_THROTTLED': return new QboThrottledError({ ...init, retryAfterMs: ctx.retryAfterMs ?? null });
    case 'QBO_AUTH': return new QboAuthError(init);
    case 'QBO_SERVER': return new QboServerError(init);
    case 'QBO_NOT_FOUND': return new QboNotFoundError(init);
    case 'QBO_DUPLICATE_NAME': return new QboDuplicateNameError(init);
    case 'QBO_DUPLICATE_DOC_NUMBER': return new QboDuplicateDocNumberError(init);
    case 'QBO_STALE_OBJECT': return new QboStaleObjectError(init);
    case 'QBO_VALIDATION':
    case 'QBO_NETWORK':
      return new QboValidationError(init);
  }
}

/** `Retry-After: 7` or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
