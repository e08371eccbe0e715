import { isDeepStrictEqual } from 'node:util';
import { noteWrite } from '../behaviour.ts';
import { nextId, type Realm, type Row, rowsOf, stamp, touch } from '../realm.ts';
import { faults, metaTime, type QboFault, validationFault, asText } from '../wire.ts';
import { buildAccount, buildItem } from './items.ts';
import { buildName } from './names.ts';
import { applyBalance, buildTransaction, voided } from './transactions.ts';
import { applyPaymentLinks, buildPayment, linkedPaymentFault, voidedPayment } from './payments.ts';
import { ok, text, type Built, type ChangeOperation, type WriteContext } from './context.ts';
import { checkShape, type EntityDef } from './schema.ts';

/**
 * Create, read, update (full and sparse), delete and void for one entity (docs/qbo-behaviour.md §2.1, §2.6).
 * Answers are `{status, body}` without `time`; the route adds the envelope.
 */
export type Answer = { ok: true; body: Row } | { ok: false; fault: QboFault };

const READ_ONLY = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status'];

function build(def: EntityDef, ctx: WriteContext, input: Row, existing: Row | null): Built {
  switch (def.name) {
    case 'Customer':
    case 'Vendor':
    case 'Employee':
      return buildName(def.name, ctx, input, existing);
    case 'Item':
      return buildItem(ctx, input, existing);
    case 'Account':
      return buildAccount(ctx, input, existing);
    case 'Invoice':
    case 'CreditMemo':
    case 'SalesReceipt':
      return buildTransaction(def.name, ctx, input, existing);
    case 'Payment':
      return buildPayment(ctx, input, existing);
    default:
      // CompanyInfo and Preferences: kept as sent, merged over what is there.
      return ok({ ...(existing ?? {}), ...input });
  }
}

function strip(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) if (!READ_ONLY.includes(k)) out[k] = v;
  return out;
}

const answer = (def: EntityDef, row: Row): Answer => ({ ok: true, body: { [def.name]: row } });

/**
 * What a committed write does to other records (customer balances; a payment's invoices) and the
 * change it reports to webhooks (Intuit's dataChangeEvent: name, id, operation, lastUpdated).
 */
function committed(def: EntityDef, ctx: WriteContext, id: string, before: Row | null, after: Row | null, operation: ChangeOperation): void {
  if (def.name === 'Payment') {
    applyPaymentLinks(ctx.realm, id, before, after, (r) => touch(r, ctx.now, true), (r) => touch(r, ctx.now, false));
  } else if (def.transaction) {
    applyBalance(ctx.realm, def.name, before, after, (r) => touch(r, ctx.now, false));
  }
  ctx.events?.push({ name: def.name, id, operation, lastUpdated: metaTime(ctx.now) });
}
const failed = (fault: QboFault): Answer => ({ ok: false, fault });

/** Ids of most entities are numbers; `1.5` gets Intuit's 2030 (fixture customer-invalid-id-2030.json). */
export function invalidId(def: EntityDef, id: string): QboFault | null {
  if (def.name === 'TaxCode' && /^[A-Za-z]+$/.test(id)) return null;
  if (/^\d+$/.test(id)) return null;
  return validationFault('2030', 'Invalid ID', `Id should be a valid number. Supplied value:${id}`, 'Id');
}

export function read(realm: Realm, def: EntityDef, id: string): Answer {
  const bad = invalidId(def, id);
  if (bad) return failed(bad);
  const row = realm.entities.get(def.name)?.get(id);
  return row ? answer(def, row) : failed(faults.notFound());
}

export function create(def: EntityDef, ctx: WriteContext, body: unknown): Answer {
  if (!def.creatable) return failed(faults.unsupportedOperation(`Operation Create is not supported for ${def.name}.`));
  const shape = checkShape(def, body);
  if (shape) return failed(shape);
  const built = build(def, ctx, strip(body as Row), null);
  if (!built.ok) return failed(built.fault);
  const id = nextId(ctx.realm, def.name);
  const row = stamp(built.row, id, ctx.now);
  rowsOf(ctx.realm, def.name).set(id, row);
  noteWrite(ctx.realm, def.name, id, undefined, ctx.now);
  committed(def, ctx, id, null, row, 'Create');
  return answer(def, row);
}

function current(ctx: WriteContext, def: EntityDef, body: Row): { row: Row } | { fault: QboFault } {
  const id = text(body.Id);
  if (id === undefined) return { fault: faults.required('Id', 'Id') };
  const bad = invalidId(def, id);
  if (bad) return { fault: bad };
  const row = ctx.realm.entities.get(def.name)?.get(id);
  if (!row) {
    const deleted = ctx.realm.deleted.get(def.name)?.has(id);
    return { fault: deleted ? faults.notFound('Object Not Found : Another user has deleted this transaction.') : faults.notFound() };
  }
  if (body.SyncToken === undefined || body.SyncToken === null) return { fault: faults.required('SyncToken', 'SyncToken') };
  if (asText(body.SyncToken) !== asText(row.SyncToken)) return { fault: faults.stale() };
  return { row };
}

export function update(def: EntityDef, ctx: WriteContext, body: unknown, voidIt = false): Answer {
  if (!def.creatable && !def.open) return failed(faults.unsupportedOperation(`Operation Update is not supported for ${def.name}.`));
  const shape = checkShape(def, body);
  if (shape) return failed(shape);
  const input = body as Row;
  const found = current(ctx, def, input);
  if ('fault' in found) return failed(found.fault);
  const existing = found.row;
  const sparse = input.sparse === true || input.sparse === 'true';
  const merged = sparse ? { ...strip(existing), ...strip(input) } : strip(input);
  const built = build(def, ctx, merged, existing);
  if (!built.ok) return failed(built.fault);
  if (voidIt && def.name === 'Invoice') {
    const linked = linkedPaymentFault(def.name, existing);
    if (linked) return failed(linked);
  }
  const next = voidIt ? (def.name === 'Payment' ? voidedPayment(built.row) : voided(built.row)) : built.row;
  const before = strip(existing);
  // An update that changes nothing keeps SyncToken and LastUpdatedTime (fixture account-deactivate-sparse.json).
  if (isDeepStrictEqual(before, next)) return answer(def, existing);
  const row: Row = { ...next, domain: 'QBO', sparse: false, Id: existing.Id, SyncToken: existing.SyncToken, MetaData: existing.MetaData };
  touch(row, ctx.now, true);
  ctx.realm.entities.get(def.name)?.set(asText(existing.Id), row);
  noteWrite(ctx.realm, def.name, asText(existing.Id), existing, ctx.now);
  committed(def, ctx, asText(existing.Id), existing, row, voidIt ? 'Void' : 'Update');
  return answer(def, row);
}

export function remove(def: EntityDef, ctx: WriteContext, body: unknown): Answer {
  if (!def.transaction) return failed(faults.unsupportedOperation(`Operation Delete is not supported for ${def.name}.`));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return failed(faults.required('Id', 'Id'));
  const found = current(ctx, def, body as Row);
  if ('fault' in found) return failed(found.fault);
  const linked = linkedPaymentFault(def.name, found.row);
  if (linked) return failed(linked);
  const id = asText(found.row.Id);
  ctx.realm.entities.get(def.name)?.delete(id);
  noteWrite(ctx.realm, def.name, id, found.row, ctx.now);
  let deleted = ctx.realm.deleted.get(def.name);
  if (!deleted) ctx.realm.deleted.set(def.name, (deleted = new Map<string, string>()));
  deleted.set(id, metaTime(ctx.now));
  committed(def, ctx, id, found.row, null, 'Delete');
  return { ok: true, body: { [def.name]: { domain: 'QBO', status: 'Deleted', Id: id } } };
}

/** `operation=void`: only Id and SyncToken are needed; the stored document is voided as it is. */
export function voidTxn(def: EntityDef, ctx: WriteContext, body: unknown): Answer {
  if (!def.transaction) return failed(faults.unsupportedOperation(`Operation Void is not supported for ${def.name}.`));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return failed(faults.required('Id', 'Id'));
  const found = current(ctx, def, body as Row);
  if ('fault' in found) return failed(found.fault);
  const linked = linkedPaymentFault(def.name, found.row);
  if (linked) return failed(linked);
  const row = def.name === 'Payment' ? voidedPayment(found.row) : voided(found.row);
  touch(row, ctx.now, true);
  ctx.realm.entities.get(def.name)?.set(asText(row.Id), row);
  noteWrite(ctx.realm, def.name, asText(row.Id), found.row, ctx.now);
  committed(def, ctx, asText(row.Id), found.row, row, 'Void');
  return answer(def, row);
}

/** POST /{entity}: the operation comes from `?operation=` or, as Python/Java clients do, from the Id in the body. */
export function write(def: EntityDef, ctx: WriteContext, body: unknown, operation: string | undefined, include: string | undefined): Answer {
  const op = operation?.toLowerCase();
  if (op === 'delete') return remove(def, ctx, body);
  if (op === 'void') return voidTxn(def, ctx, body);
  const hasId = typeof body === 'object' && body !== null && !Array.isArray(body) && (body as Row).Id !== undefined && (body as Row).Id !== null;
  if (op === 'update' || (op === undefined && hasId) || op === '') {
    if (!hasId && op === 'update') return failed(faults.required('Id', 'Id'));
    if (hasId) return update(def, ctx, body, include?.toLowerCase() === 'void');
  }
  if (op !== undefined && op !== 'create' && op !== 'update' && op !== '') {
    return failed(faults.unsupportedOperation(`Operation ${operation} is not supported.`));
  }
  return create(def, ctx, body);
}
