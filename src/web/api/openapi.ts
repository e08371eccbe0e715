import { z } from 'zod';
import { customerInputSchema, invoiceInputSchema, productInputSchema } from '../../store/import/validate.ts';
import { MAX_BATCH } from './upserts.ts';

type Json = Record<string, unknown>;

const decimal = {
  description: 'Exact decimal: a string such as "12.50" (numbers are accepted and converted without float error).',
  oneOf: [{ type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' }, { type: 'number' }],
};
const decimalFields = new Set(['qty', 'unitPrice', 'freight', 'handling', 'packaging', 'orderDiscount']);
const dateFields = new Set(['invoiceDate', 'dueDate']);

/** The record schemas are generated from the import's own zod schemas, so the document cannot drift from validation. */
function recordSchema(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Json;
  const patch = (node: Json) => {
    const props = node.properties as Record<string, Json> | undefined;
    if (!props) return;
    for (const [name, prop] of Object.entries(props)) {
      if (decimalFields.has(name)) props[name] = { ...decimal };
      if (dateFields.has(name)) prop.format = 'date';
      if (prop.type === 'array' && prop.items) patch(prop.items as Json);
    }
  };
  patch(json);
  delete json.$schema;
  return json;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: Json) => ({ required: true, content: { 'application/json': { schema } } });
const ok = (description: string, schema: Json) => ({ description, content: { 'application/json': { schema } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: errorText[c] ?? 'Error', content: { 'application/json': { schema: ref('Error') } } }]));
const errorText: Record<number, string> = {
  400: 'Malformed request', 401: 'No or unknown API token', 404: 'Unknown, or not one of the token user\'s companies',
  409: 'A run for the company is already going', 422: 'Invalid records: `problems` names each field; nothing was written',
  503: 'This server does not run exports',
};
const code = { name: 'code', in: 'path', required: true, description: 'Company code, e.g. ACME', schema: { type: 'string' } };
const runId = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } };
const upserted = ok('Written', { type: 'object', properties: { upserted: { type: 'integer' }, lines: { type: 'integer' } }, required: ['upserted'] });

function upsertPaths(kind: 'products' | 'invoices', schema: string, key: string): Json {
  return {
    [`/companies/{code}/${kind}/{${key}}`]: {
      put: {
        summary: `Create or update one ${kind.slice(0, -1)} by ${key}`, tags: ['Records'],
        parameters: [code, { name: key, in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: jsonBody(ref(schema)), responses: { 200: upserted, ...errors(401, 404, 422) },
      },
    },
    [`/companies/{code}/${kind}`]: {
      post: {
        summary: `Create or update up to ${MAX_BATCH} ${kind}, all or nothing`, tags: ['Records'], parameters: [code],
        requestBody: jsonBody({ type: 'array', minItems: 1, maxItems: MAX_BATCH, items: ref(schema) }),
        responses: { 200: upserted, ...errors(401, 404, 422) },
      },
    },
  };
}

let cached: Json | undefined;

/** OpenAPI 3.0 description of `/api`, served at `/api/openapi.json`. */
export function openApiDocument(): Json {
  cached ??= {
    openapi: '3.0.3',
    info: {
      title: 'qbo-export API', version: '1',
      description: 'Export approved sales invoices to QuickBooks Online. Authenticate with `Authorization: Bearer <token>`; make a token with `qbo-export tokens create --user EMAIL`.',
    },
    servers: [{ url: '/api' }],
    security: [{ bearer: [] }],
    paths: {
      '/companies': { get: { summary: "The token user's companies", tags: ['Export'], responses: { 200: ok('Companies', { type: 'object', properties: { companies: { type: 'array', items: ref('Company') } } }), ...errors(401) } } },
      '/companies/{code}/export-summary': {
        get: { summary: 'Export counts, QuickBooks connection and the last run', tags: ['Export'], parameters: [code], responses: { 200: ok('Summary', ref('ExportSummary')), ...errors(401, 404) } },
      },
      '/companies/{code}/exports': {
        post: {
          summary: 'Start an export (or a dry run)', tags: ['Export'], parameters: [code],
          requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { dryRun: { type: 'boolean', default: false } }, additionalProperties: false } } } },
          responses: { 202: ok('Started; follow `links.events`', ref('RunStarted')), ...errors(401, 404, 409, 422, 503) },
        },
      },
      '/companies/{code}/runs': {
        get: {
          summary: 'Process Log entries, newest first', tags: ['Process Log'],
          parameters: [code, { name: 'status', in: 'query', schema: { type: 'string', enum: ['running', 'succeeded', 'partial', 'failed'] } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }, { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } }],
          responses: { 200: ok('Runs', { type: 'object', properties: { runs: { type: 'array', items: ref('Run') } } }), ...errors(401, 404, 422) },
        },
      },
      '/runs/{id}': { get: { summary: 'One run with its per-record messages, errors first', tags: ['Process Log'], parameters: [runId], responses: { 200: ok('Run', ref('RunWithMessages')), ...errors(401, 404) } } },
      '/runs/{id}/events': {
        get: {
          summary: 'Server-sent events of a run', tags: ['Process Log'], parameters: [runId],
          description: '`event: progress` with `{phase, done, total}` while the run goes, then one `event: done` with the run summary (`status`, `counts`, `error`, `processLogUrl`); the stream then ends.',
          responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...errors(401, 404) },
        },
      },
      '/customers/{customerNo}': {
        put: { summary: 'Create or update one customer (shared by all companies)', tags: ['Records'], parameters: [{ name: 'customerNo', in: 'path', required: true, schema: { type: 'string' } }], requestBody: jsonBody(ref('Customer')), responses: { 200: upserted, ...errors(401, 422) } },
      },
      '/customers': {
        post: { summary: `Create or update up to ${MAX_BATCH} customers, all or nothing`, tags: ['Records'], requestBody: jsonBody({ type: 'array', minItems: 1, maxItems: MAX_BATCH, items: ref('Customer') }), responses: { 200: upserted, ...errors(401, 422) } },
      },
      ...upsertPaths('products', 'Product', 'productNo'),
      ...upsertPaths('invoices', 'Invoice', 'invoiceNo'),
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token from `qbo-export tokens create`' } },
      schemas: {
        Error: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: {
            code: { type: 'string' }, message: { type: 'string' },
            problems: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string', description: 'e.g. `lines[0].qty`, or `[2].lines[0].qty` in a batch' }, message: { type: 'string' } } } },
          } } },
        },
        Company: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' }, qbPrimaryCompany: { type: 'boolean' } } },
        Counts: { type: 'object', properties: { productExportQty: { type: 'integer' }, customerExportQty: { type: 'integer' }, invoiceExportQty: { type: 'integer' } } },
        Connection: {
          type: 'object',
          properties: {
            connected: { type: 'boolean', description: 'A QuickBooks connection exists; see needsReconnect for whether it still works' }, realmId: { type: 'string', nullable: true }, needsReconnect: { type: 'boolean' },
            reason: { type: 'string', nullable: true }, lastRefreshAt: { type: 'string', format: 'date-time', nullable: true },
            accessTokenExpiresAt: { type: 'string', format: 'date-time', nullable: true }, refreshTokenExpiresAt: { type: 'string', format: 'date-time', nullable: true },
            hardExpiresAt: { type: 'string', format: 'date-time', nullable: true }, daysUntilRefreshExpiry: { type: 'integer', nullable: true }, warning: { type: 'string', nullable: true },
          },
        },
        ExportSummary: { type: 'object', properties: { company: ref('Company'), counts: ref('Counts'), connection: ref('Connection'), lastRun: { ...ref('Run'), nullable: true } } },
        RunStarted: { type: 'object', properties: { runId: { type: 'integer' }, status: { type: 'string', enum: ['running'] }, links: { type: 'object', properties: { run: { type: 'string' }, events: { type: 'string' }, processLog: { type: 'string' } } } } },
        Run: {
          type: 'object',
          properties: {
            id: { type: 'integer' }, name: { type: 'string', example: 'Sales Invoice Exporter' }, companyId: { type: 'integer' }, companyCode: { type: 'string' },
            startedBy: { type: 'string' }, startedAt: { type: 'string', format: 'date-time' }, finishedAt: { type: 'string', format: 'date-time', nullable: true },
            status: { type: 'string', enum: ['running', 'succeeded', 'partial', 'failed'] }, dryRun: { type: 'boolean' }, error: { type: 'string', nullable: true },
            counts: { type: 'object', properties: {
              customers: { type: 'object', properties: { matched: { type: 'integer' }, added: { type: 'integer' }, failed: { type: 'integer' } } },
              products: { type: 'object', properties: { matched: { type: 'integer' }, added: { type: 'integer' }, failed: { type: 'integer' } } },
              invoices: { type: 'object', properties: { created: { type: 'integer' }, alreadyInQbo: { type: 'integer' }, failed: { type: 'integer' } } },
            } },
          },
        },
        RunWithMessages: {
          allOf: [ref('Run'), { type: 'object', properties: { messages: { type: 'array', items: { type: 'object', properties: {
            level: { type: 'string', enum: ['error', 'warning', 'info'] }, recordKind: { type: 'string', enum: ['run', 'customer', 'product', 'invoice'] },
            recordKey: { type: 'string', nullable: true }, qboCode: { type: 'string', nullable: true }, message: { type: 'string' }, at: { type: 'string', format: 'date-time' },
          } } } } }],
        },
        Customer: recordSchema(customerInputSchema),
        Product: recordSchema(productInputSchema),
        Invoice: recordSchema(invoiceInputSchema),
      },
    },
  };
  return cached;
}
