/**
 * The one error family of the app (docs/design.md rule 6): every expected failure is an `AppError` with a literal
 * `code` from the closed list below, `retryable`, and its `cause` kept. It lives in config because config is
 * the one folder every layer may import (docs/design.md "Layers"); each layer declares its own classes.
 *
 * Adding a code here makes the compiler ask for its HTTP status in `web/error-status.ts`.
 */
export const errorCodes = [
  // config
  'CONFIG_INVALID',
  // store
  'IMPORT_SOURCE_INVALID',
  'USER_INPUT_INVALID',
  'USER_COMPANY_NOT_ALLOWED',
  'LEASE_LOST',
  // qbo: answers of the Accounting API (a union keyed by code: see qbo/errors.ts)
  'QBO_AUTH',
  'QBO_VALIDATION',
  'QBO_NOT_FOUND',
  'QBO_DUPLICATE_NAME',
  'QBO_DUPLICATE_DOC_NUMBER',
  'QBO_STALE_OBJECT',
  'QBO_THROTTLED',
  'QBO_SERVER',
  'QBO_NETWORK',
  // qbo: the connection
  'QBO_RECONNECT_REQUIRED',
  'QBO_OAUTH',
  'TOKEN_DECRYPT_FAILED',
  // export
  'EXPORT_ALREADY_RUNNING',
  'COMPANY_NOT_FOUND',
  // sync (issue 14)
  'SYNC_ALREADY_RUNNING',
  'REEXPORT_NOT_ALLOWED',
  // web
  'NOT_SIGNED_IN',
  'FORBIDDEN',
  'NOT_FOUND',
  'CSRF',
  'BAD_REQUEST',
  'INVALID_INPUT',
  'UNAVAILABLE',
  // cli
  'CLI_FAILED',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export abstract class AppError<C extends ErrorCode = ErrorCode> extends Error {
  abstract readonly code: C;
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
