import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from './render/html.ts';
import { safeRedirectTarget } from './safe-redirect.ts';
import { page } from './render/layout.ts';
import { isAppError } from '../config/errors.ts';
import { httpStatusByCode } from './error-status.ts';
import { WebError, type FieldProblem } from './errors.ts';

interface Mapped {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly problems?: readonly FieldProblem[];
}

const internal: Mapped = { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side. The error has been logged.' };

function mapError(error: unknown): Mapped {
  if (isAppError(error)) {
    const status = httpStatusByCode[error.code];
    if (status === 500) return internal;
    return {
      status, code: error.code, message: error.message,
      ...(error instanceof WebError && (error.code === 'INVALID_INPUT' || error.code === 'BAD_REQUEST') ? { problems: error.problems } : {}),
    };
  }
  const e = error as Partial<FastifyError> & { message?: unknown };
  if (e.validation) return { status: 400, code: 'BAD_REQUEST', message: String(e.message) };
  // Fastify's own client errors (body too large, bad JSON, unsupported media type): say what was wrong.
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, code: typeof e.code === 'string' ? e.code : 'BAD_REQUEST', message: String(e.message) };
  }
  return internal;
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url === '/api' || request.url.startsWith('/api/');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const mapped = mapError(error);
  if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
  if (isApiRequest(request)) {
    if (mapped.status === 401) void reply.header('www-authenticate', 'Bearer realm="qbo-export"');
    return reply.status(mapped.status).send({
      error: { code: mapped.code, message: mapped.message, ...(mapped.problems ? { problems: mapped.problems } : {}) },
    });
  }
  if (error instanceof WebError && error.code === 'NOT_SIGNED_IN') {
    const next = request.method === 'GET' ? request.url : undefined;
    return reply.redirect(next && next !== '/' ? `/sign-in?next=${encodeURIComponent(safeRedirectTarget(next))}` : '/sign-in', 303);
  }
  const title = mapped.status === 404 ? 'Not found' : mapped.status === 403 ? 'Not allowed' : 'Something went wrong';
  const body = html`<section class="card"><h1>${title}</h1><p>${mapped.message}</p>
    ${mapped.problems?.length ? html`<ul>${mapped.problems.map((p) => html`<li><strong>${p.field}</strong>: ${p.message}</li>`)}</ul>` : ''}
    <p><a href="/sales-invoice-export">Back to Sales Invoice Export</a></p></section>`;
  return reply.status(mapped.status).type('text/html; charset=utf-8').send(page({ title, body }).value);
}

/** The one error handler of the app (docs/design.md rule 6) and the 404 for unknown routes. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new WebError('NOT_FOUND', `There is no page at ${request.url.split('?')[0] ?? request.url}.`)));
}
