import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect } from '../support/databases.ts';
import { upsertCompany } from '../../src/store/erp/companies.ts';
import { createUser } from '../../src/store/users/repository.ts';
import { createApiToken } from '../../src/store/web/api-tokens.ts';
import { buildTestApp } from './support.ts';

/**
 * Issue 12, point 2 on the API's read side: with two non-primary companies on different books the seed's
 * Secondary Customer ID is ambiguous, so the customer shows its id per company (`qboIds`, the import's form).
 */
describeEachDialect('REST API: QuickBooks ids per company', ({ db }) => {
  let app: FastifyInstance;
  let auth: { authorization: string };
  let tag = '';
  before(async () => {
    tag = String(Date.now() % 100000);
    const codes = [`P${tag}`, `SA${tag}`, `SB${tag}`];
    const ids = [];
    for (const [i, code] of codes.entries()) ids.push((await upsertCompany(db().kysely, { code, name: code, qbPrimaryCompany: i === 0 })).id);
    const user = await createUser(db().kysely, `ids-${tag}@example.com`, 'ids user password 1', ids);
    auth = { authorization: `Bearer ${(await createApiToken(db().kysely, user.id, 'ids', new Date(), { masterData: true })).token}` };
    app = await buildTestApp(db());
  });
  after(async () => app.close());

  void it('a customer: the seed fields where exact, the id per company where several books differ', async () => {
    const put = await app.inject({ method: 'PUT', url: `/api/customers/IDS-${tag}`, headers: auth, payload: {
      name: `Ids Customer ${tag}`, financialSystemCustomerId: '5', qboIds: { [`SA${tag}`]: '57', [`SB${tag}`]: '12' },
    } });
    assert.equal(put.statusCode, 200, put.body);
    const res = await app.inject({ method: 'GET', url: `/api/customers/IDS-${tag}`, headers: auth });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      customerNo: `IDS-${tag}`, name: `Ids Customer ${tag}`, active: true,
      financialSystemCustomerId: '5', secondaryCustomerId: null, qboIds: { [`P${tag}`]: '5', [`SA${tag}`]: '57', [`SB${tag}`]: '12' },
    });
    assert.equal((await app.inject({ method: 'GET', url: '/api/customers/NOPE', headers: auth })).statusCode, 404);
  });

  void it('a product: its Financial System Product ID in its company\'s books', async () => {
    const put = await app.inject({ method: 'PUT', url: `/api/companies/SA${tag}/products/W-${tag}`, headers: auth, payload: { unitPrice: '1.50', financialSystemProductId: '31' } });
    assert.equal(put.statusCode, 200, put.body);
    const res = await app.inject({ method: 'GET', url: `/api/companies/SA${tag}/products/W-${tag}`, headers: auth });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { company: `SA${tag}`, productNo: `W-${tag}`, description: null, type: 'NonInventory', unitPrice: '1.50', financialSystemProductId: '31', qboIds: { [`SA${tag}`]: '31' } });
  });
});
