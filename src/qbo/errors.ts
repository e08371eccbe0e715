import { AppError, type ErrorCode } from '../config/errors.ts';

/**
 * Typed QBO failures with a closed set of codes (docs/design.md rules 6 and 7). Every error keeps what Intuit
 * support asks for: the fault code, message, detail, element and the `intuit_tid` of the response.
 * `QboError` is the union of the answer classes, keyed by `code`: checking the code narrows the type
 * (`error.code === 'QBO_THROTTLED'` gives `retryAfterMs`).
 */

/** The seed's sentence: shown whenever the stored authorization can no longer be used. */
export const UNAUTHORIZED_MESSAGE =
  'QuickBooks export API call encountered UNAUTHORIZED status code and could not be completed. Please reset your QuickBooks authorization token and try again.';

/** The codes of QBO's answers (the connection's own failures have theirs: QBO_RECONNECT_REQUIRED, QBO_OAUTH). */
export type QboErrorCode = Extract<ErrorCode, 'QBO_AUTH' | 'QBO_VALIDATION' | 'QBO_NOT_FOUND' | 'QBO_DUPLICATE_NAME' | 'QBO_DUPLICATE_DOC_NUMBER' | 'QBO_STALE_OBJECT' | 'QBO_THROTTLED' | 'QBO_SERVER' | 'QBO_NETWORK'>;

/** One entry of a Fault's `Error[]` (upper- or lower-case envelope, JSON or XML), normalised. */
export interface FaultItem {
  readonly code: string;
  readonly message: string;
  readonly detail: string | null;
  readonly element: string | null;
}

export interface QboErrorInit {
  readonly qboCode: string;
  readonly message: string;
  readonly detail?: string | null;
  readonly element?: string | null;
  readonly intuitTid?: string | null;
  readonly httpStatus?: number | null;
  readonly faultType?: string | null;
  /** All items of the Fault (QBO may send several); the first one is described by the fields above. */
  readonly errors?: readonly FaultItem[];
  readonly cause?: unknown;
}

/** What every answer class carries; use the union `QboError` in signatures so that `code` narrows. */
export abstract class QboFailure<C extends QboErrorCode = QboErrorCode> extends AppError<C> {
  readonly qboCode: string;
  readonly detail: string | null;
  readonly element: string | null;
  readonly intuitTid: string | null;
  readonly httpStatus: number | null;
  readonly faultType: string | null;
  readonly errors: readonly FaultItem[];

  constructor(init: QboErrorInit) {
    super(init.message, { cause: init.cause });
    this.qboCode = init.qboCode;
    this.detail = init.detail ?? null;
    this.element = init.element ?? null;
    this.intuitTid = init.intuitTid ?? null;
    this.httpStatus = init.httpStatus ?? null;
    this.faultType = init.faultType ?? null;
    this.errors = init.errors ?? [{ code: init.qboCode, message: init.message, detail: this.detail, element: this.element }];
  }

  /** Safe to log: no request body, no token. */
  toLog(): Record<string, unknown> {
    return {
      code: this.code, qboCode: this.qboCode, message: this.message, detail: this.detail,
      element: this.element, intuitTid: this.intuitTid, httpStatus: this.httpStatus,
    };
  }
}

/** 401/403, fault codes 100–3200 of the auth family: the token or the app's grant is not accepted. */
export class QboAuthError extends QboFailure<'QBO_AUTH'> {
  readonly code = 'QBO_AUTH';
  readonly retryable = false;
}

/** 400 business or validation faults (2xxx, 4000/4001, 500 "Unsupported Operation", 6000, 6070, …). */
export class QboValidationError extends QboFailure<'QBO_VALIDATION'> {
  readonly code = 'QBO_VALIDATION';
  readonly retryable = false;
}

/** 610 "Object Not Found" (also answers references to inactive objects). */
export class QboNotFoundError extends QboFailure<'QBO_NOT_FOUND'> {
  readonly code = 'QBO_NOT_FOUND';
  readonly retryable = false;
}

/** 6240: the DisplayName is taken by a customer, vendor or employee (or an item Name is taken). */
export class QboDuplicateNameError extends QboFailure<'QBO_DUPLICATE_NAME'> {
  readonly code = 'QBO_DUPLICATE_NAME';
  readonly retryable = false;
}

/** 6140 (6210 in older docs): DocNumber already used. */
export class QboDuplicateDocNumberError extends QboFailure<'QBO_DUPLICATE_DOC_NUMBER'> {
  readonly code = 'QBO_DUPLICATE_DOC_NUMBER';
  readonly retryable = false;
}

/** 5010: the SyncToken sent is not the current one; re-read and re-apply. */
export class QboStaleObjectError extends QboFailure<'QBO_STALE_OBJECT'> {
  readonly code = 'QBO_STALE_OBJECT';
  readonly retryable = false;
}

/** 3001 / HTTP 429: over a QBO limit. `retryAfterMs` from the Retry-After header when present. */
export class QboThrottledError extends QboFailure<'QBO_THROTTLED'> {
  readonly code = 'QBO_THROTTLED';
  readonly retryable = true;
  readonly retryAfterMs: number | null;
  constructor(init: QboErrorInit & { retryAfterMs?: number | null }) {
    super(init);
    this.retryAfterMs = init.retryAfterMs ?? null;
  }
}

/** HTTP 5xx (SystemFault, 10000+), and anything QBO answered that we could not understand. */
export class QboServerError extends QboFailure<'QBO_SERVER'> {
  readonly code = 'QBO_SERVER';
  readonly retryable = true;
}

/** No answer: connection refused or dropped, timeout, DNS. */
export class QboNetworkError extends QboFailure<'QBO_NETWORK'> {
  readonly code = 'QBO_NETWORK';
  readonly retryable = true;
}

/** The company has no usable QuickBooks authorization: the user must connect again. */
export class ReconnectRequiredError extends AppError<'QBO_RECONNECT_REQUIRED'> {
  readonly code = 'QBO_RECONNECT_REQUIRED';
  readonly retryable = false;
  constructor(
    readonly companyId: number,
    /** Why, for logs and the connection page: 'not-connected' | 'invalid-grant' | 'refresh-expired' | 'hard-expired' | 'unauthorized'. */
    readonly reason: ReconnectReason,
    options?: { cause?: unknown },
  ) {
    super(UNAUTHORIZED_MESSAGE, options);
  }
}

export type ReconnectReason = 'not-connected' | 'invalid-grant' | 'refresh-expired' | 'hard-expired' | 'unauthorized';

export type QboError =
  | QboAuthError
  | QboValidationError
  | QboNotFoundError
  | QboDuplicateNameError
  | QboDuplicateDocNumberError
  | QboStaleObjectError
  | QboThrottledError
  | QboServerError
  | QboNetworkError;

export function isQboError(error: unknown): error is QboError {
  return error instanceof QboFailure;
}
