import Big from 'big.js';
import { z } from 'zod';
import { entityNames, entityPath, entitySchemas, type EntityName, type EntityOf } from './entities.ts';
import { QboServerError, type QboError } from './errors.ts';
import { faultFromUpper, toQboError, upperFaultSchema } from './fault.ts';
import { send, transportFrom, type QboRequest, type Transport } from './http.ts';
import { systemClock } from './limiter.ts';
import { MAX_PAGE_SIZE, type Query } from './query.ts';
import type { BatchItemResult, BatchRequestItem, ChangeDataCapture, QboClient, QboClientDeps, WriteOptions } from './types.ts';

/** Intuit: "maximum of 50 characters for all operations except batch … batch … 36" (§2.4). */
const MAX_REQUEST_ID = 50;
const MAX_BATCH_REQUEST_ID = 36;
/** Intuit's batch ceiling (§7). */
export const MAX_BATCH_ITEMS = 30;

/** The Accounting API v3 client for one realm (docs/qbo-behaviour.md §2, §5, §7). */
export function createQboClient(deps: QboClientDeps): QboClient {
  const t = transportFrom(deps, systemClock);
  return {
    realmId: t.realmId,

    // POST /v3/company/{realm}/{entity}?requestid=… (§2.1, §2.4)
    async create(entity, body, opts) {
      checkRequestId(opts.requestId, MAX_REQUEST_ID);
      const res = await call(t, { method: 'POST', path: entityPath(entity), body: toQboJson(body), requestId: opts.requestId, beforeSend: opts.beforeSend, kind: 'request', op: `create ${entity}` });
      return entityFrom(entity, res, `create ${entity}`);
    },

    // GET /v3/company/{realm}/{entity}/{id}
    async read(entity, id) {
      const res = await call(t, { method: 'GET', path: `${entityPath(entity)}/${encodeURIComponent(id)}`, kind: 'request', op: `read ${entity}` });
      return entityFrom(entity, res, `read ${entity}`);
    },

    // POST /{entity} with Id + SyncToken; `sparse: true` changes only the fields sent (§2.6)
    async update(entity, body, opts) {
      checkRequestId(opts.requestId, MAX_REQUEST_ID);
      const payload = opts.sparse ? { ...body, sparse: true } : body;
      const res = await call(t, { method: 'POST', path: entityPath(entity), body: toQboJson(payload), requestId: opts.requestId, kind: 'request', op: `update ${entity}` });
      return entityFrom(entity, res, `update ${entity}`);
    },

    async query(q) {
      return queryPage(t, q);
    },

    async queryAll(q) {
      const pageSize = q.max ?? MAX_PAGE_SIZE;
      const rows: EntityOf<typeof q.entity>[] = [];
      for (let start = q.start ?? 1; ; start += pageSize) {
        const page = await queryPage(t, q.startPosition(start).maxResults(pageSize));
        rows.push(...page);
        // QBO's maxResults is the number of rows returned; a short page is the last one (§5.3).
        if (page.length < pageSize) return rows;
      }
    },

    async count(q) {
      const res = await call(t, { method: 'GET', path: 'query', params: { query: q.toCountString() }, kind: 'request', op: `count ${q.entity}` });
      const parsed = countResponse.safeParse(res);
      if (!parsed.success) throw shapeError(`count ${q.entity}`, parsed.error);
      return parsed.data.QueryResponse.totalCount;
    },

    async batch(items, opts) {
      return batch(t, items, opts);
    },

    // GET /companyinfo/{realmId} (§6.9)
    async companyInfo() {
      const res = await call(t, { method: 'GET', path: `companyinfo/${encodeURIComponent(t.realmId)}`, kind: 'request', op: 'read CompanyInfo' });
      return entityFrom('CompanyInfo', res, 'read CompanyInfo');
    },

    // GET /cdc?entities=…&changedSince=… (Intuit's "Change data capture" page, §8.1)
    async changeDataCapture(entities, changedSince) {
      const op = `cdc ${entities.join(',')}`;
      const res = await call(t, { method: 'GET', path: 'cdc', params: { entities: entities.join(','), changedSince }, kind: 'request', op });
      const parsed = cdcResponse.safeParse(res);
      if (!parsed.success) throw shapeError(op, parsed.error);
      const changes = Object.fromEntries(entities.map((e) => [e, [] as unknown[]])) as Record<string, unknown[]>;
      // One QueryResponse element per entity type, in no promised order; `[{}]` when nothing changed.
      for (const group of parsed.data.CDCResponse.flatMap((r) => r.QueryResponse)) {
        for (const entity of entities) if (entity in group) changes[entity] = rowsFrom(entity, group, op);
      }
      return { time: parsed.data.time, changes } as ChangeDataCapture<(typeof entities)[number]>;
    },

    // GET /preferences (§6.9)
    async preferences() {
      const res = await call(t, { method: 'GET', path: 'preferences', kind: 'request', op: 'read Preferences' });
      return entityFrom('Preferences', res, 'read Preferences');
    },
  };
}

async function call(t: Transport, req: QboRequest): Promise<Record<string, unknown>> {
  return (await send(t, req)).json;
}

// GET /query?query=<statement> (§5.2)
async function queryPage<E extends EntityName>(t: Transport, q: Query<E>): Promise<EntityOf<E>[]> {
  const op = `query ${q.entity}`;
  const res = await call(t, { method: 'GET', path: 'query', params: { query: q.toString() }, kind: 'request', op });
  return rowsFrom(q.entity, res.QueryResponse, op);
}

const cdcResponse = z.object({
  CDCResponse: z.array(z.object({ QueryResponse: z.array(z.record(z.string(), z.unknown())) })),
  time: z.string(),
});

const countResponse = z.object({ QueryResponse: z.looseObject({ totalCount: z.number().int() }) });

function rowsFrom<E extends EntityName>(entity: E, queryResponse: unknown, op: string): EntityOf<E>[] {
  // An empty result is `"QueryResponse":{}` — no entity key at all (§5.3).
  const parsed = z.looseObject({ [entity]: z.array(entitySchemas[entity]).optional() }).safeParse(queryResponse ?? {});
  if (!parsed.success) throw shapeError(op, parsed.error);
  return (parsed.data[entity] ?? []);
}

function entityFrom<E extends EntityName>(entity: E, res: Record<string, unknown>, op: string): EntityOf<E> {
  const parsed = entitySchemas[entity].safeParse(res[entity]);
  if (!parsed.success) throw shapeError(op, parsed.error);
  return parsed.data as EntityOf<E>;
}

function shapeError(op: string, cause: z.ZodError): QboError {
  return new QboServerError({
    qboCode: 'BAD_RESPONSE',
    message: `QuickBooks answered ${op} with an unexpected shape`,
    detail: z.prettifyError(cause).slice(0, 1000),
    cause,
  });
}

function checkRequestId(requestId: string, max: number): void {
  // A bug in the caller, not a QBO failure: QBO would reject it with a 6000 per item.
  if (requestId.length === 0 || requestId.length > max) {
    throw new RangeError(`requestid must be 1–${max} characters, got ${requestId.length}: ${requestId}`);
  }
}

// POST /batch {"BatchItemRequest":[…]} → {"BatchItemResponse":[…]} (§7)
async function batch(t: Transport, items: readonly BatchRequestItem[], opts: WriteOptions): Promise<BatchItemResult[]> {
  if (items.length === 0) return [];
  if (items.length > MAX_BATCH_ITEMS) throw new RangeError(`a batch holds at most ${MAX_BATCH_ITEMS} items, got ${items.length}`);
  checkRequestId(opts.requestId, MAX_BATCH_REQUEST_ID);
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.bId)) throw new RangeError(`duplicate bId in batch: ${item.bId}`);
    ids.add(item.bId);
    // QBO stores requestid + bId per item, ≤ 50 characters (§2.4).
    checkRequestId(opts.requestId + item.bId, MAX_REQUEST_ID);
  }
  const request = items.map((item) =>
    'query' in item
      ? { bId: item.bId, Query: item.query.toString() }
      : { bId: item.bId, operation: item.operation, [item.entity]: item.body, ...(item.optionsData ? { optionsData: item.optionsData } : {}) },
  );
  const { json: res, intuitTid } = await send(t, {
    method: 'POST', path: 'batch', body: toQboJson({ BatchItemRequest: request }), requestId: opts.requestId, beforeSend: opts.beforeSend, kind: 'batch', op: 'batch',
  });
  const parsed = batchResponse.safeParse(res);
  if (!parsed.success) throw shapeError('batch', parsed.error);
  const byId = new Map(parsed.data.BatchItemResponse.map((r) => [r.bId, r]));
  return items.map((item) => batchItemResult(item, byId.get(item.bId), intuitTid));
}

const batchResponse = z.object({
  BatchItemResponse: z.array(z.looseObject({ bId: z.string(), Fault: upperFaultSchema.optional(), QueryResponse: z.unknown().optional() })),
});

function batchItemResult(
  item: BatchRequestItem,
  answer: z.infer<typeof batchResponse>['BatchItemResponse'][number] | undefined,
  intuitTid: string | null,
): BatchItemResult {
  const op = `batch item ${item.bId}`;
  if (!answer) {
    return { bId: item.bId, error: new QboServerError({ qboCode: 'BAD_RESPONSE', message: `QuickBooks did not answer ${op}`, intuitTid }) };
  }
  if (answer.Fault) return { bId: item.bId, error: toQboError(faultFromUpper(answer.Fault), { httpStatus: null, intuitTid }) };
  try {
    if ('query' in item) return { bId: item.bId, entityName: item.query.entity, rows: rowsFrom(item.query.entity, answer.QueryResponse, op) };
    const name = entityNames.find((n) => n in answer) ?? item.entity;
    return { bId: item.bId, entityName: name, entity: entityFrom(name, answer, op) };
  } catch (error) {
    return { bId: item.bId, error: error as QboError };
  }
}

/**
 * JSON for QBO. `Big` values (big.js) are written as exact number literals — `"Amount": 1861.08` —
 * so money never passes through a float on the way out either.
 */
export function toQboJson(body: unknown): string {
  const marker = '\u0000decimal:';
  const json = JSON.stringify(body, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    return original instanceof Big ? `${marker}${original.toFixed()}` : value;
  });
  return json.replace(/"\\u0000decimal:(-?\d+(?:\.\d+)?)"/g, '$1');
}
