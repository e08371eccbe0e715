import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyFault, parseFault, parseRetryAfter, toQboError, type ParsedFault } from './fault.ts';
import { QboThrottledError } from './errors.ts';

const fault = (code: string, type = 'ValidationFault'): ParsedFault => ({ type, items: [{ code, message: 'm', detail: null, element: null }] });

void describe('classifyFault: one case per reason', () => {
  void it('3001 and HTTP 429 are throttling (even the old 403 throttle)', () => {
    assert.equal(classifyFault(429, null), 'QBO_THROTTLED');
    assert.equal(classifyFault(403, fault('3001', 'SERVICE')), 'QBO_THROTTLED');
  });
  void it('401, 403 and auth codes are QBO_AUTH', () => {
    assert.equal(classifyFault(401, fault('3200', 'AUTHENTICATION')), 'QBO_AUTH');
    assert.equal(classifyFault(403, fault('3100', 'SERVICE')), 'QBO_AUTH');
    assert.equal(classifyFault(null, fault('100', 'AuthenticationFault')), 'QBO_AUTH');
  });
  void it('5xx is a server error', () => assert.equal(classifyFault(503, null), 'QBO_SERVER'));
  void it('610 is not found', () => assert.equal(classifyFault(400, fault('610')), 'QBO_NOT_FOUND'));
  void it('6240 is a duplicate name', () => assert.equal(classifyFault(400, fault('6240')), 'QBO_DUPLICATE_NAME'));
  void it('6140 is a duplicate doc number', () => assert.equal(classifyFault(400, fault('6140')), 'QBO_DUPLICATE_DOC_NUMBER'));
  void it('5010 is a stale object', () => assert.equal(classifyFault(null, fault('5010')), 'QBO_STALE_OBJECT'));
  void it('10000+ SystemFault inside a 200/batch is a server error', () => assert.equal(classifyFault(null, fault('10000', 'SystemFault')), 'QBO_SERVER'));
  void it('"500 Unsupported Operation" answered with HTTP 400 is validation, not server', () => {
    assert.equal(classifyFault(400, fault('500')), 'QBO_VALIDATION');
  });
  void it('2xxx and 6070 are validation', () => {
    assert.equal(classifyFault(400, fault('2010')), 'QBO_VALIDATION');
    assert.equal(classifyFault(400, fault('6070')), 'QBO_VALIDATION');
  });
});

void describe('parseFault', () => {
  void it('reads the upper-case envelope with several errors', () => {
    const parsed = parseFault(JSON.stringify({ Fault: { Error: [{ Message: 'A', code: '2020', element: 'Line' }, { Message: 'B', Detail: 'd', code: 6000 }], type: 'ValidationFault' } }));
    assert.deepEqual(parsed, { type: 'ValidationFault', items: [{ code: '2020', message: 'A', detail: null, element: 'Line' }, { code: '6000', message: 'B', detail: 'd', element: null }] });
  });
  void it('reads the lower-case 401 envelope', () => {
    const parsed = parseFault('{"fault":{"error":[{"message":"message=AuthenticationFailed","detail":null,"code":"3200","element":null}],"type":"AUTHENTICATION"}}');
    assert.equal(parsed?.items[0]?.code, '3200');
    assert.equal(parsed?.type, 'AUTHENTICATION');
  });
  void it('reads XML and unescapes entities', () => {
    const parsed = parseFault('<IntuitResponse><Fault type="SERVICE"><Error code="3001" element=""><Message>a &amp; b</Message><Detail>x &lt; y</Detail></Error></Fault></IntuitResponse>');
    assert.deepEqual(parsed, { type: 'SERVICE', items: [{ code: '3001', message: 'a & b', detail: 'x < y', element: '' }] });
  });
  void it('returns null for bodies without a Fault (never guesses)', () => {
    assert.equal(parseFault('<html>413 Request Entity Too Large</html>'), null);
    assert.equal(parseFault('not json'), null);
    assert.equal(parseFault('{"QueryResponse":{}}'), null);
  });
  void it('keeps the raw body as detail when there is no Fault, and Retry-After on throttling', () => {
    const error = toQboError(null, { httpStatus: 429, intuitTid: 'tid-1', retryAfterMs: 7000, body: 'slow down' });
    assert.ok(error instanceof QboThrottledError);
    assert.equal(error.retryAfterMs, 7000);
    assert.equal(error.detail, 'slow down');
    assert.equal(error.intuitTid, 'tid-1');
    assert.equal(error.qboCode, 'HTTP_429');
  });
});

void describe('parseRetryAfter', () => {
  void it('reads seconds, dates, and nothing', () => {
    assert.equal(parseRetryAfter('7', 0), 7000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter(null, 0), null);
    assert.equal(parseRetryAfter('soon', 0), null);
  });
});
