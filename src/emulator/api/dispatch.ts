import type { Realm, Row } from '../realm.ts';
import { faults, type QboFault } from '../wire.ts';
import { runQuery } from '../query/execute.ts';
import { runBatch } from './batch.ts';
import { changeDataCapture } from './cdc.ts';
import { read, write, type Answer } from './crud.ts';
import { entityByName } from './schema.ts';
import type { ChangeEvent } from './context.ts';

/** One Accounting API call after authentication and throttling: path segments after `/v3/company/{realm}`. */
export interface ApiCall {
  realm: Realm;
  method: string;
  segments: string[];
  params: Record<string, string>;
  body: string;
  contentType: string;
  now: number;
  /** The full path as received, for Intuit's "Unsupported Operation" detail. */
  path: string;
  /** Receives the changes the call commits (for webhooks). */
  events?: ChangeEvent[];
}

export type ApiResult = { status: number; body: Row } | { fault: QboFault };

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; fault: QboFault } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const reason = text.trim() === '' ? 'No content to map due to end-of-input' : `Unexpected character: ${(error as Error).message}`;
    return { ok: false, fault: faults.invalidProperty(`${reason}\n`) };
  }
}

function unsupported(call: ApiCall): QboFault {
  return faults.unsupportedOperation(`Operation Could not find resource for relative : ${call.path} of full path: https://c50.sandbox.qbo.intuit.com/qbo50${call.path} is not supported.`);
}

const fromAnswer = (a: Answer | { ok: true; body: Row } | { ok: false; fault: QboFault }): ApiResult => (a.ok ? { status: 200, body: a.body } : { fault: a.fault });

export function dispatch(call: ApiCall): ApiResult {
  const [resource = '', id, ...rest] = call.segments;
  const name = resource.toLowerCase();
  const allowDuplicateDocNum = call.realm.behaviour.acceptDuplicateDocNumbers || (call.params.include ?? '').toLowerCase().split(',').includes('allowduplicatedocnum');
  const ctx = { realm: call.realm, now: call.now, allowDuplicateDocNum, ...(call.events ? { events: call.events } : {}) };
  if (name === 'query' && id === undefined) {
    const text = call.method === 'GET' ? call.params.query ?? '' : call.body || call.params.query || '';
    return fromAnswer(runQuery(call.realm, text, call.now));
  }
  if (name === 'batch' && id === undefined && call.method === 'POST') {
    const parsed = parseJson(call.body);
    if (!parsed.ok) return { fault: parsed.fault };
    return fromAnswer(runBatch(ctx, parsed.value, call.params.requestid));
  }
  if (name === 'cdc' && id === undefined && call.method === 'GET') {
    return fromAnswer(changeDataCapture(call.realm, call.params.entities, call.params.changedsince, call.now));
  }
  const def = entityByName(name);
  if (!def || rest.length > 0) return { fault: unsupported(call) };
  if (call.method === 'GET') {
    if (def.name === 'Preferences' && id === undefined) return fromAnswer(read(call.realm, def, '1'));
    // CompanyInfo is read by realm id (docs/qbo-behaviour.md §6.9); its own Id is "1".
    if (def.name === 'CompanyInfo' && (id === call.realm.id || id === '1')) return fromAnswer(read(call.realm, def, '1'));
    if (id === undefined) return { fault: unsupported(call) };
    return fromAnswer(read(call.realm, def, id));
  }
  if (call.method !== 'POST' || id !== undefined) return { fault: unsupported(call) };
  const parsed = parseJson(call.body);
  if (!parsed.ok) return { fault: parsed.fault };
  return fromAnswer(write(def, ctx, parsed.value, call.params.operation, call.params.include));
}

