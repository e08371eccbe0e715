import { AppError, type ErrorCode } from '../config/errors.ts';

/**
 * The web layer's one error class (docs/design.md rule 6): a literal `code`; the HTTP status it maps to is in
 * error-status.ts with every other code of the app. The one error handler (error-handler.ts) turns it into
 * a page or a JSON body.
 */
export type WebErrorCode = Extract<ErrorCode, 'NOT_SIGNED_IN' | 'FORBIDDEN' | 'NOT_FOUND' | 'CSRF' | 'BAD_REQUEST' | 'INVALID_INPUT' | 'UNAVAILABLE'>;

export interface FieldProblem {
  /** Dotted path of the field, e.g. `lines.0.qty`. */
  readonly field: string;
  readonly message: string;
}

export const CSRF_MESSAGE = 'The form was out of date or did not come from this site. Reload the page and try again.';

/**
 * NOT_SIGNED_IN: pages redirect to the sign-in page, the API answers 401. INVALID_INPUT names each field in
 * `problems`. UNAVAILABLE: a part the request needs is not configured in this process (e.g. no export service).
 */
export class WebError extends AppError<WebErrorCode> {
  readonly retryable = false;
  constructor(
    readonly code: WebErrorCode,
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
  }
}
