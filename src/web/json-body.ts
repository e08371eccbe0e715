import type { FastifyError, FastifyInstance } from 'fastify';
import { MAX_JSON_DEPTH, jsonNestingExceeds } from '../store/input/sanity.ts';

/**
 * Fastify's own JSON parser (prototype-poisoning checks included) behind a nesting check on the raw text: a
 * body nested deeper than MAX_JSON_DEPTH is a 400 before it is parsed, so nothing later (number conversion,
 * validation) can overflow the stack on it. Registered at the root: every JSON body of the app passes here.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonNestingExceeds(body as string)) {
      const error = new Error(`The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`) as FastifyError;
      Object.assign(error, { statusCode: 400, code: 'JSON_TOO_DEEP' });
      done(error, undefined);
      return;
    }
    void parse(request, body as string, done);
  });
}
