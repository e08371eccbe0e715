import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { WebError } from '../errors.ts';

/**
 * How the API uses its route schemas (schemas.ts). Path and query values are parsed with them (they are lenient
 * text, as the handlers expect). Bodies are not: the handlers validate them with the import's own validation,
 * which names every field and answers 422 — the body schema documents that contract, it does not run twice.
 * Answers are sent as the handlers build them (plain JSON), never reshaped by a response schema.
 */
export function routeSchemaCompilers(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart === 'body' || !(schema instanceof z.ZodType)) return (data: unknown) => ({ value: data });
    return (data: unknown) => {
      const parsed = schema.safeParse(data);
      if (parsed.success) return { value: parsed.data };
      const problems = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
      // A malformed path or query string is the request's fault, as a malformed body is: 400 (422 is for records).
      return { error: new WebError('BAD_REQUEST', `Invalid ${httpPart ?? 'request'}.`, problems) };
    };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}
