import type { Row } from '../realm.ts';
import { faults, type QboFault, validationFault, asText } from '../wire.ts';
import { runQuery } from '../query/execute.ts';
import { write, type Answer } from './crud.ts';
import type { WriteContext } from './context.ts';
import { entityByName } from './schema.ts';

/**
 * POST /batch (docs/qbo-behaviour.md §7): at most 30 items, each one on its own — a failing item gets a Fault
 * in its slot, the others still run, and the call answers HTTP 200.
 */
export const MAX_BATCH_ITEMS = 30;

export type BatchAnswer = { ok: true; body: Row } | { ok: false; fault: QboFault };

function item(ctx: WriteContext, raw: unknown, requestId: string | undefined): Row {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { Fault: faults.invalidProperty('BatchItemRequest must be an object\n').faultObject() };
  }
  const req = raw as Row;
  const bId = req.bId === undefined ? undefined : asText(req.bId);
  const reply = (answer: Answer | { ok: true; body: Row } | { ok: false; fault: QboFault }): Row =>
    answer.ok ? { ...answer.body, bId } : { Fault: answer.fault.faultObject(), bId };
  if (bId === undefined) return { Fault: faults.required('bId', 'bId').faultObject() };
  // Intuit stores requestid+bId per item, at most 50 characters (docs/qbo-behaviour.md §2.4).
  if (requestId !== undefined && requestId.length + bId.length > 50) {
    const id = `${requestId}${bId}`;
    return reply({ ok: false, fault: faults.business(`You cannot enter more than 50 characters in the request_id field. You tried entering ${id}, which is ${id.length} characters.`) });
  }
  if (typeof req.Query === 'string') return reply(runQuery(ctx.realm, req.Query, ctx.now));
  const entityKey = Object.keys(req).find((k) => !['bId', 'operation', 'optionsData', 'Query'].includes(k));
  const def = entityKey ? entityByName(entityKey) : undefined;
  if (!entityKey || !def || def.name !== entityKey) {
    return reply({ ok: false, fault: faults.invalidProperty(`Unrecognized field "${entityKey ?? ''}" (class com.intuit.schema.finance.v3.BatchItemRequest)\n`) });
  }
  const operation = typeof req.operation === 'string' ? req.operation.toLowerCase() : undefined;
  if (operation === undefined || !['create', 'update', 'delete'].includes(operation)) return reply({ ok: false, fault: faults.required('operation', 'operation') });
  const voidIt = operation === 'update' && asText(req.optionsData ?? '').toLowerCase() === 'void';
  const answer = write(def, ctx, req[entityKey], voidIt ? 'void' : operation, undefined);
  if (answer.ok && operation === 'create') ctx.createdInBatch?.add(`${def.name}:${asText((answer.body[def.name] as Row).Id)}`);
  return reply(answer);
}

export function runBatch(ctx: WriteContext, body: unknown, requestId: string | undefined): BatchAnswer {
  const items = typeof body === 'object' && body !== null ? (body as Row).BatchItemRequest : undefined;
  if (!Array.isArray(items)) return { ok: false, fault: faults.required('BatchItemRequest', 'BatchItemRequest') };
  if (items.length > MAX_BATCH_ITEMS) {
    return {
      ok: false,
      fault: validationFault('6000', 'A business validation error has occurred while processing your request',
        `Business Validation Error: The batch request has ${items.length} items; at most ${MAX_BATCH_ITEMS} are allowed.`, 'BatchItemRequest'),
    };
  }
  if (requestId !== undefined && requestId.length > 36) {
    return { ok: false, fault: faults.business(`You cannot enter more than 36 characters in the request_id field for a batch request. You tried entering ${requestId.length} characters.`) };
  }
  const batchCtx: WriteContext = { ...ctx, createdInBatch: new Set() };
  return { ok: true, body: { BatchItemResponse: items.map((raw) => item(batchCtx, raw, requestId)) } };
}
