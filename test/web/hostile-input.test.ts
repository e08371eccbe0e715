import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect } from '../support/databases.ts';
import { findCustomerByNo } from '../../src/store/erp/customers.ts';
import { listRuns } from '../../src/store/runs/repository.ts';
import { createApiToken } from '../../src/store/web/api-tokens.ts';
import type { ExportRunner } from '../../src/web/deps.ts';
import { buildTestApp, seedWebFixture, type WebFixture } from './support.ts';

type ErrorBody = { error: { code: string; message: string; problems?: Array<{ field: string; message: string }> } };

/** The REST API under hostile input: 400 for malformed requests, 422 naming the field for bad text, never a 500. */
describeEachDialect('REST API under hostile input', ({ db }) => {
  let app: FastifyInstance;
  let f: WebFixture;
  let auth: { authorization: string; 'content-type': string };
  const started: Array<{ companyId: number; dryRun: boolean }> = [];
  before(async () => {
    f = await seedWebFixture(db());
    // A real runner would start a real export; this one only records what was asked, to prove nothing was.
    const exportService: ExportRunner = {
      start: async (companyId, _by, options) => {
        started.push({ companyId, dryRun: options.dryRun === true });
        return { runId: 1 };
      },
      subscribe: () => false,
    };
    app = await buildTestApp(db(), { exportService });
    const { token } = await createApiToken(db().kysely, f.alice.id, 'hostile', new Date(), { masterData: true });
    auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  });
  after(async () => app.close());

  void it('answers JSON nested 100,000 deep with 400 before walking it, and the process stays up', async () => {
    for (const payload of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)]) {
      const res = await app.inject({ method: 'PUT', url: '/api/customers/DEEP', headers: auth, payload });
      assert.equal(res.statusCode, 400, res.body.slice(0, 200));
      assert.equal(res.json<ErrorBody>().error.code, 'JSON_TOO_DEEP');
    }
    const sane = await app.inject({ method: 'PUT', url: '/api/customers/DEEP', headers: auth, payload: JSON.stringify({ name: 'Deep Enough' }) });
    assert.equal(sane.statusCode, 200, sane.body);
    // Strings full of brackets are not nesting.
    const brackets = await app.inject({ method: 'PUT', url: '/api/customers/DEEP', headers: auth, payload: JSON.stringify({ name: '[{'.repeat(200) }) });
    assert.equal(brackets.statusCode, 200, brackets.body);
  });

  void it('answers a body of the wrong JSON type with 400: an array is not an object, and no export starts', async () => {
    const array = await app.inject({ method: 'POST', url: `/api/companies/${f.acme.code}/exports`, headers: auth, payload: '[{"dryRun":true}]' });
    assert.equal(array.statusCode, 400, array.body);
    assert.equal(array.json<ErrorBody>().error.code, 'BAD_REQUEST');
    for (const payload of ['"dryRun"', '42', 'null', 'true']) {
      const res = await app.inject({ method: 'POST', url: `/api/companies/${f.acme.code}/exports`, headers: auth, payload });
      assert.equal(res.statusCode, 400, payload);
    }
    assert.deepEqual(started, []);
    assert.deepEqual(await listRuns(db().kysely, { companyId: f.acme.id, limit: 5 }), []);
    const unknownField = await app.inject({ method: 'POST', url: `/api/companies/${f.acme.code}/exports`, headers: auth, payload: '{"dryrun":true}' });
    assert.equal(unknownField.statusCode, 422);
    assert.deepEqual(started, []);
    const dry = await app.inject({ method: 'POST', url: `/api/companies/${f.acme.code}/exports`, headers: auth, payload: '{"dryRun":true}' });
    assert.equal(dry.statusCode, 202, dry.body);
    assert.deepEqual(started, [{ companyId: f.acme.id, dryRun: true }]);

    const objectForArray = await app.inject({ method: 'POST', url: '/api/customers', headers: auth, payload: '{"customerNo":"C-X","name":"X"}' });
    assert.equal(objectForArray.statusCode, 400);
    const arrayForObject = await app.inject({ method: 'PUT', url: '/api/customers/C-X', headers: auth, payload: '[{"name":"X"}]' });
    assert.equal(arrayForObject.statusCode, 400);
    const elementNotObject = await app.inject({ method: 'POST', url: `/api/companies/${f.acme.code}/products`, headers: auth, payload: '[{"productNo":"P-1"}, "P-2"]' });
    assert.equal(elementNotObject.statusCode, 400);
    assert.deepEqual(elementNotObject.json<ErrorBody>().error.problems?.map((p) => p.field), ['[1]']);
  });

  void it('refuses control characters with 422 naming the field, in names, numbers, keys and free text', async () => {
    const cases: Array<{ url: string; payload: string; field: string }> = [
      { url: '/api/customers/C-ESC', payload: JSON.stringify({ name: 'Evil\u001b[2J\u0007Corp' }), field: 'name' },
      { url: '/api/customers/C-NUL', payload: JSON.stringify({ name: 'Nul\u0000Corp' }), field: 'name' },
      { url: '/api/customers/C-C1', payload: JSON.stringify({ name: 'C1\u009bCorp' }), field: 'name' },
      { url: '/api/customers/C-DEL', payload: JSON.stringify({ name: 'Del\u007fCorp' }), field: 'name' },
      { url: '/api/customers/C-SUR', payload: '{"name":"Lone \\ud800 surrogate"}', field: 'name' },
      { url: '/api/customers/C-TAB', payload: JSON.stringify({ name: 'Ok', phone: '555\t0100' }), field: 'phone' },
      { url: '/api/customers/C-ADDR', payload: JSON.stringify({ name: 'Ok', billingAddress: { line1: '1 Main\u0007St' } }), field: 'billingAddress.line1' },
      { url: '/api/customers/C-KEY', payload: '{"name":"Ok","na\\u001bme":"x"}', field: 'na\u001bme' },
      { url: '/api/customers/C-\u001bNO', payload: JSON.stringify({ name: 'Ok' }), field: 'customerNo' },
      { url: `/api/companies/${f.acme.code}/products/P-NUL`, payload: JSON.stringify({ description: 'Steel\u0000widget' }), field: 'description' },
      {
        url: `/api/companies/${f.acme.code}/invoices/INV-ESC`,
        payload: JSON.stringify({ customerNo: 'C-1', invoiceDate: '2026-11-02', status: 'approved', lines: [{ productNo: 'P\u001b1', qty: '1', unitPrice: '1' }] }),
        field: 'lines[0].productNo',
      },
    ];
    for (const c of cases) {
      const res = await app.inject({ method: 'PUT', url: encodeURI(c.url).replace(/%25/g, '%'), headers: auth, payload: c.payload });
      assert.equal(res.statusCode, 422, `${c.url}: ${res.body}`);
      const problems = res.json<ErrorBody>().error.problems ?? [];
      assert.ok(problems.some((p) => p.field === c.field && /control character|surrogate/.test(p.message)), `${c.url}: ${JSON.stringify(problems)}`);
    }
    assert.equal(await findCustomerByNo(db().kysely, 'C-ESC'), undefined, 'nothing stored');
    // Free text may hold tab and line breaks; NUL never (above).
    const multiLine = await app.inject({ method: 'PUT', url: `/api/companies/${f.acme.code}/products/P-TEXT`, headers: auth, payload: JSON.stringify({ description: 'Line one\n\tline two' }) });
    assert.equal(multiLine.statusCode, 200, multiLine.body);
    const accents = await app.inject({ method: 'PUT', url: '/api/customers/C-OK', headers: auth, payload: JSON.stringify({ name: 'Café Zoë 北京 😀' }) });
    assert.equal(accents.statusCode, 200, accents.body);
  });

  void it('checks query parameters like bodies: limit=abc is a 400, not a silent default', async () => {
    const runs = (query: string) => app.inject({ method: 'GET', url: `/api/companies/${f.acme.code}/runs${query}`, headers: auth });
    for (const [query, field] of [['?limit=abc', 'limit'], ['?limit=0', 'limit'], ['?limit=501', 'limit'], ['?limit=1.5', 'limit'], ['?offset=-1', 'offset'], ['?status=nope', 'status'], ['?bogus=1', 'bogus'], ['?limit=1&limit=2', 'limit']] as const) {
      const res = await runs(query);
      assert.equal(res.statusCode, 400, query);
      assert.deepEqual(res.json<ErrorBody>().error.problems?.map((p) => p.field), [field], query);
    }
    assert.equal((await runs('?limit=10&offset=0&status=failed')).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/companies?x=1', headers: auth })).statusCode, 400);
  });
});
