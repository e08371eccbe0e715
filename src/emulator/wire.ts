import { randomBytes } from 'node:crypto';

/**
 * Wire-level helpers shared by every emulator route: Intuit's time formats, the `intuit_tid`
 * header and the Fault envelopes (docs/qbo-behaviour.md §2.3, §2.5, §3).
 */

/** Sandbox companies answer in Pacific time; a fixed -07:00 keeps output stable (docs/qbo-behaviour.md §10). */
const OFFSET_MINUTES = -7 * 60;
const OFFSET_TEXT = '-07:00';

function shifted(ms: number): string {
  return new Date(ms + OFFSET_MINUTES * 60_000).toISOString();
}

/** `2020-09-29T05:58:07.300-07:00`: the `time` member of every envelope. */
export function envelopeTime(ms: number): string {
  return `${shifted(ms).slice(0, 23)}${OFFSET_TEXT}`;
}

/** `2020-09-29T05:58:07-07:00`: MetaData times (no milliseconds). */
export function metaTime(ms: number): string {
  return `${shifted(ms).slice(0, 19)}${OFFSET_TEXT}`;
}

/** `2020-09-29`: the company's current date. */
export function companyDate(ms: number): string {
  return shifted(ms).slice(0, 10);
}

/** A random per-process prefix plus a counter: unique ids without a random draw per request. */
const TID_PREFIX = randomBytes(6).toString('hex');
let tidCounter = 0;

/** Intuit's transaction id format `1-<8 hex>-<24 hex>`. */
export function intuitTid(nowMs: number): string {
  const secs = Math.floor(nowMs / 1000).toString(16).padStart(8, '0').slice(-8);
  tidCounter = (tidCounter + 1) % 0x1000000000000;
  return `1-${secs}-${TID_PREFIX}${tidCounter.toString(16).padStart(12, '0')}`;
}

export const JSON_TYPE = 'application/json;charset=UTF-8';

export interface QboError {
  Message: string;
  Detail?: string;
  code: string;
  element?: string;
}

export type FaultType = 'ValidationFault' | 'SystemFault' | 'AuthenticationFault' | 'AuthorizationFault' | 'SERVICE';

/** A failed API answer: status plus the upper-case Fault envelope (without `time`, added on send). */
export class QboFault {
  constructor(
    readonly status: number,
    readonly type: FaultType,
    readonly errors: QboError[],
  ) {}

  body(nowMs: number): Record<string, unknown> {
    return { Fault: this.faultObject(), time: envelopeTime(nowMs) };
  }

  /** The bare `{Error, type}` object, as batch items carry it. */
  faultObject(): Record<string, unknown> {
    return { Error: this.errors, type: this.type };
  }
}

export function validationFault(code: string, message: string, detail?: string, element?: string): QboFault {
  const error: QboError = detail === undefined ? { Message: message, code } : { Message: message, Detail: detail, code };
  if (element !== undefined) error.element = element;
  return new QboFault(400, 'ValidationFault', [error]);
}

/** Numbers in Details are printed with thousands separators ("Supplied value:1,000"). */
export function grouped(value: string | number): string {
  const [int = '', frac] = String(value).split('.');
  const neg = int.startsWith('-');
  const digits = neg ? int.slice(1) : int;
  const withCommas = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${withCommas}${frac !== undefined ? `.${frac}` : ''}`;
}

export const faults = {
  notFound: (detail = "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.") =>
    validationFault('610', 'Object Not Found', detail, ''),
  stale: () =>
    validationFault(
      '5010',
      'Stale Object Error',
      'Stale Object Error : You and root were working on this at the same time. root finished before you did, so your work was not saved.',
      '',
    ),
  required: (param: string, element = '') =>
    validationFault('2020', 'Required param missing, need to supply the required value for the API', `Required parameter ${param} is missing in the request`, element),
  length: (field: string, max: number, supplied: number) =>
    validationFault(
      '2050',
      'String length is either shorter or longer than supported by specification',
      `String length specified does not match the supported length. Min:0 Max:${grouped(max)} supported. Supplied length: ${grouped(supplied)}`,
      field,
    ),
  invalidReference: (detail = "Invalid Reference Id : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.", element = '') =>
    validationFault('2500', 'Invalid Reference Id', detail, element),
  business: (text: string, element = '') =>
    validationFault('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: ${text}`, element),
  duplicateName: (detail = 'The name supplied already exists. : null') => validationFault('6240', 'Duplicate Name Exists Error', detail),
  unsupportedOperation: (detail: string) => validationFault('500', 'Unsupported Operation', detail),
  invalidProperty: (detail: string) =>
    validationFault('2010', 'Request has invalid or unsupported property', `Property Name:${detail} specified is unsupported or invalid`),
  queryParse: (detail: string) => validationFault('4000', 'Error parsing query', `QueryParserError: ${detail}`),
  queryInvalid: (detail: string) => validationFault('4001', 'Invalid query', `QueryValidationError: ${detail}`),
  throttled: () =>
    new QboFault(429, 'SERVICE', [
      { Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: 'The request limit was reached.  Try again later', code: '3001' },
    ]),
  server: (status = 500) =>
    new QboFault(status, 'SystemFault', [
      { Message: 'An application error has occurred while processing your request', Detail: 'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again. If the problem persists, contact customer support.', code: '10000' },
    ]),
  amountMismatch: (supplied: string) =>
    validationFault('6070', 'Amount is not equal to UnitPrice * Qty', `Amount is not equal to UnitPrice * Qty. Supplied value:${grouped(supplied)}`, ''),
  duplicateDocNumber: (docNumber: string, txnType: string, txnId: string) =>
    validationFault(
      '6140',
      'Duplicate Document Number Error',
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=${txnType} with TxnId=${txnId}`,
      '',
    ),
  inventoryQty: () => validationFault('6520', 'Missing Inventory Item Quantity', 'Quantity required for inventory item', ''),
  wrongRealm: () =>
    new QboFault(401, 'AuthenticationFault', [
      { Message: 'General Authentication Error', Detail: 'AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401', code: '100' },
    ]),
};

/** The lower-case 401 envelope Intuit's gateway sends for a bad bearer token (fixture auth-401-token-expired.json). */
export function authFailureBody(detail: string | null, nowMs: number): Record<string, unknown> {
  return {
    warnings: null,
    intuitObject: null,
    fault: {
      error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', detail, code: '3200', element: null }],
      type: 'AUTHENTICATION',
    },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time: nowMs,
    status: null,
    cdcresponse: [],
  };
}

/** The gateway's 403 body (docs/qbo-behaviour.md §3.3). */
export function authorizationFailureBody(nowMs: number): Record<string, unknown> {
  const body = authFailureBody(null, nowMs);
  body.fault = {
    error: [{ message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403', detail: null, code: '3100', element: null }],
    type: 'SERVICE',
  };
  return body;
}

export const WWW_AUTHENTICATE = 'Bearer realm="Intuit", error="invalid_token"';

/** The gateway answers oversized bodies with an HTML page, not a Fault (docs/qbo-behaviour.md §3.2, 413). */
export const PAYLOAD_TOO_LARGE_HTML =
  '<html><head><title>413 Request Entity Too Large</title></head><body><center><h1>413 Request Entity Too Large</h1></center></body></html>';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Text of a JSON value as QBO would read it; objects print as JSON rather than "[object Object]". */
export function asText(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
