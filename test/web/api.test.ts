import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect } from '../support/databases.ts';
import { findInvoiceByNo, getInvoiceWithLines } from '../../src/store/erp/invoices.ts';
import { createRun } from '../../src/store/runs/repository.ts';
import { createApiToken, revokeApiToken } from '../../src/store/web/api-tokens.ts';
import { buildTestApp, seedWebFixture, type WebFixture } from './support.ts';

describeEachDialect('REST API', ({ db }) => {
  let app: FastifyInstance;
  let f: WebFixture;
  let auth: { authorization: string };
  before(async () => {
    f = await seedWebFixture(db());
    app = await buildTestApp(db());
    // Alice may use ACME only; her test token carries the master-data permission so it may upsert customers.
    auth = { authorization: `Bearer ${(await createApiToken(db().kysely, f.alice.id, 'test', new Date(), { masterData: true })).token}` };
  });
  after(async () => app.close());

  void it('serves its OpenAPI document without a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }>();
    assert.equal(doc.openapi, '3.0.3');
    for (const path of ['/companies/{code}/export-summary', '/companies/{code}/exports', '/runs/{id}/events', '/customers/{customerNo}', '/companies/{code}/invoices/{invoiceNo}']) {
      assert.ok(doc.paths[path], path);
    }
    assert.ok(doc.components.schemas.Invoice?.properties?.lines);
    // Every documented operation exists on the server.
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) {
        const url = `/api${path.replace(/\{(\w+)\}/g, ':$1')}`;
        const known = app.hasRoute({ method: method.toUpperCase(), url }) || app.hasRoute({ method: method.toUpperCase(), url: url.replace(/:(productNo|invoiceNo)$/, ':key') });
        assert.ok(known, `${method.toUpperCase()} ${url}`);
      }
    }
  });

  void it('answers 401 without a token, with an unknown one and with a revoked one', async () => {
    const none = await app.inject({ method: 'GET', url: '/api/companies' });
    assert.equal(none.statusCode, 401);
    assert.match(none.headers['www-authenticate'] as string, /^Bearer/);
    assert.equal(none.json<{ error: { code: string } }>().error.code, 'NOT_SIGNED_IN');
    const wrong = await app.inject({ method: 'GET', url: '/api/companies', headers: { authorization: 'Bearer qbx_not-a-real-token' } });
    assert.equal(wrong.statusCode, 401);
    const { id, token } = await createApiToken(db().kysely, f.alice.id, null);
    await revokeApiToken(db().kysely, f.alice.id, id);
    const revoked = await app.inject({ method: 'GET', url: '/api/companies', headers: { authorization: `Bearer ${token}` } });
    assert.equal(revoked.statusCode, 401);
    const session = await app.inject({ method: 'POST', url: '/api/companies/X/exports', payload: {} });
    assert.equal(session.statusCode, 401);
  });

  void it("shows the token user's companies only; another company's summary and runs are 404", async () => {
    const list = await app.inject({ method: 'GET', url: '/api/companies', headers: auth });
    assert.deepEqual(list.json<{ companies: Array<{ code: string }> }>().companies.map((c) => c.code), [f.acme.code]);
    const summary = await app.inject({ method: 'GET', url: `/api/companies/${f.acme.code}/export-summary`, headers: auth });
    assert.equal(summary.statusCode, 200);
    const body = summary.json<{ counts: Record<string, number>; connection: { connected: boolean }; lastRun: unknown }>();
    assert.deepEqual(Object.keys(body.counts).sort(), ['creditMemoExportQty', 'customerExportQty', 'invoiceExportQty', 'productExportQty']);
    assert.equal(body.connection.connected, false);
    for (const url of [`/api/companies/${f.globex.code}/export-summary`, `/api/companies/${f.globex.code}/runs`]) {
      assert.equal((await app.inject({ method: 'GET', url, headers: auth })).statusCode, 404, url);
    }
    const runId = await createRun(db().kysely, { companyId: f.globex.id, startedBy: f.bob.email, dryRun: false });
    assert.equal((await app.inject({ method: 'GET', url: `/api/runs/${runId}`, headers: auth })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: `/api/runs/${runId}/events`, headers: auth })).statusCode, 404);
    const put = await app.inject({ method: 'PUT', url: `/api/companies/${f.globex.code}/products/P-1`, headers: auth, payload: { unitPrice: '1.00' } });
    assert.equal(put.statusCode, 404);
  });

  void it('upserts records with the import validation: 422 names the field and writes nothing', async () => {
    const badCustomer = await app.inject({ method: 'PUT', url: '/api/customers/C-API-1', headers: auth, payload: { name: 'Smith: Jones', email: 'nope' } });
    assert.equal(badCustomer.statusCode, 422);
    const problems = badCustomer.json<{ error: { problems: Array<{ field: string; message: string }> } }>().error.problems;
    assert.deepEqual(problems.map((p) => p.field).sort(), ['email', 'name']);

    const customer = await app.inject({ method: 'PUT', url: '/api/customers/C-API-1', headers: auth, payload: { name: "O'Brien & Sons", email: 'ap@obrien.example' } });
    assert.equal(customer.statusCode, 200, customer.body);
    const product = await app.inject({ method: 'PUT', url: `/api/companies/${f.acme.code}/products/WIDGET-API`, headers: auth, payload: { description: 'Widget', unitPrice: '12.50' } });
    assert.equal(product.statusCode, 200, product.body);

    const badInvoice = await app.inject({
      method: 'PUT', url: `/api/companies/${f.acme.code}/invoices/INV-API-1`, headers: auth,
      payload: { customerNo: 'C-API-1', invoiceDate: '2026-02-30', status: 'approved', lines: [{ productNo: 'NO-SUCH', qty: '-1', unitPrice: '1' }] },
    });
    assert.equal(badInvoice.statusCode, 422);
    const fields = badInvoice.json<{ error: { problems: Array<{ field: string }> } }>().error.problems.map((p) => p.field);
    assert.ok(fields.includes('invoiceDate'), fields.join());

    const unknownProduct = await app.inject({
      method: 'PUT', url: `/api/companies/${f.acme.code}/invoices/INV-API-1`, headers: auth,
      payload: { customerNo: 'C-API-1', invoiceDate: '2026-11-02', status: 'approved', lines: [{ productNo: 'NO-SUCH', qty: '1', unitPrice: '1' }] },
    });
    assert.equal(unknownProduct.statusCode, 422);
    assert.deepEqual(unknownProduct.json<{ error: { problems: Array<{ field: string }> } }>().error.problems.map((p) => p.field), ['lines[0].productNo']);

    const invoice = await app.inject({
      method: 'PUT', url: `/api/companies/${f.acme.code}/invoices/INV-API-1`, headers: auth,
      payload: { customerNo: 'C-API-1', invoiceDate: '2026-11-02', status: 'approved', lines: [{ productNo: 'WIDGET-API', qty: '3', unitPrice: '12.50' }] },
    });
    assert.equal(invoice.statusCode, 200, invoice.body);
    const summary = await app.inject({ method: 'GET', url: `/api/companies/${f.acme.code}/export-summary`, headers: auth });
    const counts = summary.json<{ counts: { invoiceExportQty: number; productExportQty: number } }>().counts;
    assert.equal(counts.invoiceExportQty, 1);
    assert.equal(counts.productExportQty, 1);

    const batch = await app.inject({
      method: 'POST', url: `/api/companies/${f.acme.code}/products`, headers: auth,
      payload: [{ productNo: 'OK-1', unitPrice: '1' }, { productNo: 'BAD-1', unitPrice: 'ten' }],
    });
    assert.equal(batch.statusCode, 422);
    assert.deepEqual(batch.json<{ error: { problems: Array<{ field: string }> } }>().error.problems.map((p) => p.field), ['[1].unitPrice']);
    const after = await app.inject({ method: 'GET', url: `/api/companies/${f.acme.code}/export-summary`, headers: auth });
    assert.equal(after.json<{ counts: { productExportQty: number } }>().counts.productExportQty, 1, 'the good record of a bad batch is not written');

    const otherCompany = await app.inject({ method: 'PUT', url: `/api/companies/${f.acme.code}/products/X-1`, headers: auth, payload: { company: f.globex.code, unitPrice: '1' } });
    assert.equal(otherCompany.statusCode, 422);
  });

  void it('reads whole JSON numbers as their digits, as the import does; refuses ones JSON.parse has changed', async () => {
    const customer = await app.inject({ method: 'POST', url: '/api/customers', headers: auth, payload: [{ customerNo: 4711, name: 'Numbered Customer', phone: 5551234 }] });
    assert.equal(customer.statusCode, 200, customer.body);
    const invoices = await app.inject({
      method: 'POST', url: `/api/companies/${f.acme.code}/invoices`, headers: auth,
      payload: [{ invoiceNo: 100200, customerNo: 4711, invoiceDate: '2026-11-02', status: 'approved', lines: [{ productNo: 'WIDGET-API', qty: 3, unitPrice: 12.5 }] }],
    });
    assert.equal(invoices.statusCode, 200, invoices.body);
    const stored = await findInvoiceByNo(db().kysely, f.acme.id, '100200');
    assert.ok(stored, 'invoice 100200 stored under its digits');
    const lines = (await getInvoiceWithLines(db().kysely, stored.id))?.lines ?? [];
    assert.deepEqual(lines.map((l) => [l.qty, l.unitPrice]), [['3', '12.5']]);

    const tooBig = await app.inject({
      method: 'POST', url: `/api/companies/${f.acme.code}/invoices`, headers: { ...auth, 'content-type': 'application/json' },
      payload: `[{"invoiceNo": 12345678901234567890, "customerNo": "4711", "invoiceDate": "2026-11-02", "status": "approved", "lines": [{"productNo": "WIDGET-API", "qty": "1", "unitPrice": "1"}]}]`,
    });
    assert.equal(tooBig.statusCode, 422, tooBig.body);
    assert.deepEqual(tooBig.json<{ error: { problems: Array<{ field: string }> } }>().error.problems.map((p) => p.field), ['invoiceNo']);
  });

  void it('answers malformed JSON with 400 and unknown routes with 404, both as JSON errors', async () => {
    const bad = await app.inject({ method: 'PUT', url: '/api/customers/C-X', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"name": ' });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.json<{ error: { message: string } }>().error.message);
    const unknown = await app.inject({ method: 'GET', url: '/api/nothing-here', headers: auth });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json<{ error: { code: string } }>().error.code, 'NOT_FOUND');
  });

  void it('answers 503 when this server runs no exports', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/companies/${f.acme.code}/exports`, headers: auth, payload: {} });
    assert.equal(res.statusCode, 503);
  });
});
