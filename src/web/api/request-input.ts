import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { WebError } from '../errors.ts';

/**
 * Refuses a query parameter the route does not take (its `querystring` schema names the ones it does), or one
 * given twice (`?limit=1&limit=2`): query strings are checked like bodies.
 */
export function checkQueryNames(request: FastifyRequest): void {
  const schema = request.routeOptions.schema?.querystring;
  const allowed = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const query = (request.query ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    if (!allowed.includes(name)) {
      const takes = allowed.length > 0 ? `this endpoint takes ${allowed.join(', ')}` : 'this endpoint takes no query parameters';
      throw new WebError('BAD_REQUEST', `Unknown query parameter ${name}.`, [{ field: name, message: `unknown query parameter (${takes})` }]);
    }
    if (typeof value !== 'string') throw new WebError('BAD_REQUEST', `Query parameter ${name} is given more than once.`, [{ field: name, message: 'give it once' }]);
  }
}

/** A whole number query parameter within bounds; absent → the default. `limit=abc` is a 400, never the default. */
export function intParam(request: FastifyRequest, name: string, bounds: { min: number; max: number; fallback: number }): number {
  const raw = (request.query as Record<string, string | undefined>)[name];
  if (raw === undefined) return bounds.fallback;
  const value = /^-?\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new WebError('BAD_REQUEST', `Query parameter ${name} is not valid.`, [{ field: name, message: `expected a whole number from ${bounds.min} to ${bounds.max}` }]);
  }
  return value;
}

/** One of the listed values, or undefined when absent. */
export function enumParam<T extends string>(request: FastifyRequest, name: string, values: readonly T[]): T | undefined {
  const raw = (request.query as Record<string, string | undefined>)[name];
  if (raw === undefined) return undefined;
  if (!(values as readonly string[]).includes(raw)) {
    throw new WebError('BAD_REQUEST', `Query parameter ${name} is not valid.`, [{ field: name, message: `expected one of ${values.join(', ')}` }]);
  }
  return raw as T;
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The body must be one JSON object (`[{…}]` is not an object: 400). `optional`: no body at all is `{}`. */
export function objectBody(body: unknown, options: { optional?: boolean } = {}): Record<string, unknown> {
  if (body === undefined && options.optional) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new WebError('BAD_REQUEST', `Expected a JSON object as the body, got ${typeOf(body)}.`, [{ field: '', message: 'expected a JSON object' }]);
  }
  return body as Record<string, unknown>;
}

/** The body must be a JSON array. */
export function arrayBody(body: unknown): unknown[] {
  if (!Array.isArray(body)) {
    throw new WebError('BAD_REQUEST', `Expected a JSON array of records as the body, got ${typeOf(body)}.`, [{ field: '', message: 'expected a JSON array' }]);
  }
  return body;
}
