import type { FastifyReply, FastifyRequest } from 'fastify';
import { intuitTid, JSON_TYPE } from './wire.ts';

/** The emulator's public base: the request's protocol and host plus the mount prefix. */
export function baseUrl(request: FastifyRequest, prefix: string): string {
  return `${request.protocol}://${request.host}${prefix}`;
}

export function sendJson(reply: FastifyReply, status: number, body: unknown, nowMs: number): FastifyReply {
  return reply
    .code(status)
    .header('content-type', JSON_TYPE)
    .header('intuit_tid', intuitTid(nowMs))
    .send(body === undefined ? '' : JSON.stringify(body));
}

/** Bodies arrive as raw bytes (one catch-all parser) so every encoding error becomes QBO's answer, not Fastify's. */
export function bodyText(request: FastifyRequest): string {
  const body = request.body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return typeof body === 'string' ? body : '';
}

export function formOrJson(request: FastifyRequest): Record<string, string> {
  const text = bodyText(request);
  const type = String(request.headers['content-type'] ?? '');
  if (type.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === "string"));
      }
    } catch {
      return {};
    }
    return {};
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export function queryParams(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string') out[k.toLowerCase()] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k.toLowerCase()] = v[0];
  }
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
