import type { ErrorCode } from '../config/errors.ts';

/**
 * The HTTP status of every error code of the app. A `Record` over the closed list, so that a new code
 * does not compile until it is given a status here. 500 means "not expected to reach a request": the
 * handler logs it and answers INTERNAL without its message.
 */
export const httpStatusByCode: Record<ErrorCode, number> = {
  CONFIG_INVALID: 500,
  IMPORT_SOURCE_INVALID: 500,
  USER_INPUT_INVALID: 422,
  USER_COMPANY_NOT_ALLOWED: 403,
  QBO_AUTH: 500,
  QBO_VALIDATION: 500,
  QBO_NOT_FOUND: 500,
  QBO_DUPLICATE_NAME: 500,
  QBO_DUPLICATE_DOC_NUMBER: 500,
  QBO_STALE_OBJECT: 500,
  QBO_THROTTLED: 500,
  QBO_SERVER: 500,
  QBO_NETWORK: 500,
  QBO_RECONNECT_REQUIRED: 500,
  QBO_OAUTH: 500,
  TOKEN_DECRYPT_FAILED: 500,
  EXPORT_ALREADY_RUNNING: 409,
  LEASE_LOST: 409,
  SYNC_ALREADY_RUNNING: 409,
  REEXPORT_NOT_ALLOWED: 409,
  COMPANY_NOT_FOUND: 404,
  NOT_SIGNED_IN: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CSRF: 403,
  BAD_REQUEST: 400,
  INVALID_INPUT: 422,
  UNAVAILABLE: 503,
  CLI_FAILED: 500,
};
