import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findCustomerByNo } from '../../store/erp/customers.ts';
import { findProductByNo } from '../../store/erp/products.ts';
import { booksOf, qboIdIn, qboIdsEverywhere } from '../../store/erp/qbo-ids.ts';
import { loadCompanyBooks, seedCustomerView } from '../../store/erp/seed-ids.ts';
import { companiesOfUser } from '../auth/users.ts';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { apiCompany, apiUser } from './auth.ts';
import { codeParam, responses } from './schemas.ts';

const qboIds = z.record(z.string(), z.string()).meta({ description: 'The QuickBooks id per company code, for the token user\'s companies whose books hold one' });
const customerView = z.object({
  customerNo: z.string(), name: z.string(), active: z.boolean(),
  financialSystemCustomerId: z.string().nullable().meta({ description: 'Id in the QuickBooks Primary Company\'s books; null where the primary companies use different books' }),
  secondaryCustomerId: z.string().nullable().meta({ description: 'Id in the non-primary company\'s books; null where several non-primary companies use different books (see qboIds)' }),
  qboIds,
}).meta({ id: 'CustomerView' });
const productView = z.object({
  company: z.string(), productNo: z.string(), description: z.string().nullable(), type: z.string(), unitPrice: z.string(),
  financialSystemProductId: z.string().nullable().meta({ description: 'Id in the books the company is connected to now' }),
  qboIds,
}).meta({ id: 'ProductView' });

/**
 * Read side of the records (issue 12, point 2): the seed's id fields where they are exact, and the id per company
 * (`qboIds`) where several companies use different QuickBooks books — the form the import takes.
 */
export function registerRecordReads(app: FastifyInstance, deps: WebDeps): void {
  app.get<{ Params: { customerNo: string } }>('/customers/:customerNo', {
    schema: { summary: 'One customer with its QuickBooks ids', tags: ['Records'], params: z.object({ customerNo: z.string() }), response: responses({ 200: customerView }, 401, 404) },
  }, async (request) => {
    const customer = await findCustomerByNo(deps.db.kysely, request.params.customerNo);
    if (!customer) throw new WebError('NOT_FOUND', `There is no customer ${request.params.customerNo}.`);
    const companies = await loadCompanyBooks(deps.db.kysely);
    const view = seedCustomerView(companies, (await qboIdsEverywhere(deps.db.kysely, 'customer', [customer.id])).get(customer.id));
    // Ids of companies the token's user may not use are not theirs to see.
    const mine = new Set((await companiesOfUser(deps.db, apiUser(request))).map((c) => c.code));
    const visible = Object.fromEntries(Object.entries(view.qboIds).filter(([code]) => mine.has(code)));
    return { customerNo: customer.customer_no, name: customer.name, active: customer.active === 1, ...view, qboIds: visible };
  });

  app.get<{ Params: { code: string; productNo: string } }>('/companies/:code/products/:productNo', {
    schema: { summary: 'One product with its QuickBooks id', tags: ['Records'], params: z.object({ code: codeParam, productNo: z.string() }), response: responses({ 200: productView }, 401, 404) },
  }, async (request) => {
    const company = await apiCompany(request, deps.db, request.params.code);
    const product = await findProductByNo(deps.db.kysely, company.id, request.params.productNo);
    if (!product) throw new WebError('NOT_FOUND', `There is no product ${request.params.productNo} in ${company.code}.`);
    const id = await qboIdIn(deps.db.kysely, booksOf(company), 'product', product.id);
    return {
      company: company.code, productNo: product.product_no, description: product.description, type: product.type, unitPrice: product.unit_price,
      financialSystemProductId: id, qboIds: id === null ? {} : { [company.code]: id },
    };
  });
}
