/**
 * The web layer's typed errors (docs/design.md rule 6): each has a literal `code` and the HTTP status it maps
 * to. The one error handler (error-handler.ts) turns them into a page or a JSON body.
 */
export type WebErrorCode = 'NOT_SIGNED_IN' | 'FORBIDDEN' | 'NOT_FOUND' | 'CSRF' | 'INVALID_INPUT' | 'UNAVAILABLE';

export interface FieldProblem {
  /** Dotted path of the field, e.g. `lines.0.qty`. */
  readonly field: string;
  readonly message: string;
}

export abstract class WebError extends Error {
  abstract readonly code: WebErrorCode;
  abstract readonly status: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Pages redirect to the sign-in page; the API answers 401. */
export class NotSignedInError extends WebError {
  readonly code = 'NOT_SIGNED_IN';
  readonly status = 401;
}

export class ForbiddenError extends WebError {
  readonly code = 'FORBIDDEN';
  readonly status = 403;
}

export class NotFoundError extends WebError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
}

export class CsrfError extends WebError {
  readonly code = 'CSRF';
  readonly status = 403;
  constructor() {
    super('The form was out of date or did not come from this site. Reload the page and try again.');
  }
}

export class InvalidInputError extends WebError {
  readonly code = 'INVALID_INPUT';
  readonly status = 422;
  constructor(message: string, readonly problems: readonly FieldProblem[]) {
    super(message);
  }
}

/** A part the request needs is not configured in this process (e.g. no export service). */
export class UnavailableError extends WebError {
  readonly code = 'UNAVAILABLE';
  readonly status = 503;
}
