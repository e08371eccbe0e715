import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorCore } from '../core.ts';
import { bodyText, queryParams, sendJson, sleep } from '../http.ts';
import { takeMatchingRule, type FaultRule } from '../control/fault-rules.ts';
import { authFailureBody, authorizationFailureBody, envelopeTime, faults, intuitTid, JSON_TYPE, PAYLOAD_TOO_LARGE_HTML, WWW_AUTHENTICATE } from '../wire.ts';
import { rememberAnswer, rememberedAnswer } from '../behaviour.ts';
import { dispatch } from './dispatch.ts';
import type { ChangeEvent } from './context.ts';

/** The Accounting API, `/v3/company/{realmId}/…` (docs/qbo-behaviour.md §2): auth, throttles, injected faults, then the call. */

type Sent = { status: number; body: unknown; headers?: Record<string, string> };

function faultAnswer(status: number, now: number): Sent {
  if (status === 401) return { status, body: authFailureBody(null, now), headers: { 'www-authenticate': WWW_AUTHENTICATE } };
  if (status === 403) return { status, body: authorizationFailureBody(now) };
  if (status === 429) return { status, body: faults.throttled().body(now), headers: { 'retry-after': '60' } };
  if (status === 413) return { status, body: PAYLOAD_TOO_LARGE_HTML, headers: { 'content-type': 'text/html' } };
  if (status >= 500) return { status, body: faults.server(status).body(now) };
  return { status, body: faults.business('Injected fault').body(now) };
}

function send(reply: FastifyReply, sent: Sent, now: number): FastifyReply {
  reply.code(sent.status).header('content-type', JSON_TYPE).header('intuit_tid', intuitTid(now));
  for (const [k, v] of Object.entries(sent.headers ?? {})) reply.header(k, v);
  return reply.send(typeof sent.body === 'string' ? sent.body : JSON.stringify(sent.body));
}

function drop(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.hijack();
  request.raw.socket.destroy();
  return reply;
}

function authenticate(core: EmulatorCore, request: FastifyRequest, realmId: string, now: number): Sent | null {
  const header = request.headers.authorization ?? '';
  const token = /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '').trim() : undefined;
  const check = core.tokens.checkAccess(token, now);
  if (!check.ok) {
    const detail = check.reason === 'expired' ? `Token expired: ${token?.slice(-40) ?? ''}` : check.reason === 'unknown' && token && token.length < 20 ? 'Malformed bearer token: too short or too long' : null;
    return { status: 401, body: authFailureBody(detail, now), headers: { 'www-authenticate': WWW_AUTHENTICATE } };
  }
  if (check.token.realmId !== realmId || !core.realms.has(realmId)) {
    return { status: 401, body: faults.wrongRealm().body(now) };
  }
  return null;
}

function handle(core: EmulatorCore, request: FastifyRequest, realmId: string, apiPath: string, now: number): Sent {
  const realm = core.realms.get(realmId);
  if (!realm) return { status: 401, body: faults.wrongRealm().body(now) };
  const params = queryParams(request);
  const replay = rememberedAnswer(realm, params.requestid, now);
  if (replay) return { status: replay.status, body: replay.body };
  const method = request.method.toUpperCase();
  const events: ChangeEvent[] = [];
  const result = dispatch({
    realm, method, segments: apiPath.split('/').filter(Boolean), params, body: bodyText(request),
    contentType: String(request.headers['content-type'] ?? ''), now, path: request.url.split('?')[0] ?? '', events,
  });
  core.webhooks.notify(realm.id, events);
  const sent: Sent = 'fault' in result
    ? { status: result.fault.status, body: result.fault.body(now) }
    : { status: result.status, body: { ...result.body, time: envelopeTime(now) } };
  rememberAnswer(realm, params.requestid, { status: sent.status, body: sent.body, at: now });
  if (method === 'POST') core.changed();
  return sent;
}

export async function apiRoutes(app: FastifyInstance, core: EmulatorCore): Promise<void> {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    core.counters.requests++;
    const { realmId, '*': rest } = request.params as { realmId: string; '*': string };
    const apiPath = `/${rest.split('?')[0] ?? ''}`;
    const now = core.now();
    const denied = authenticate(core, request, realmId, now);
    if (denied) return send(reply, denied, now);
    if (core.limits) {
      const isBatch = apiPath.toLowerCase().replace(/\/$/, '') === '/batch';
      const decision = core.throttle.decide(realmId, isBatch, now);
      if (!decision.allowed) {
        core.counters.throttled++;
        return send(reply, { status: 429, body: faults.throttled().body(now), headers: { 'retry-after': String(decision.retryAfterSeconds) } }, now);
      }
    }
    const rule: FaultRule | undefined = core.faultRules.length > 0 ? takeMatchingRule(core.faultRules, request.method, apiPath) : undefined;
    if (rule) {
      core.counters.faultsInjected++;
      if (rule.delayMs > 0) await sleep(rule.delayMs);
      if (rule.commitDelayMs !== undefined) {
        // The connection drops at once; QBO goes on and applies the write later (a commit still running
        // when the client gave up). A look-up made meanwhile finds nothing.
        core.delayCommit(rule.commitDelayMs, () => handle(core, request, realmId, apiPath, core.now()));
        return drop(request, reply);
      }
      if (!rule.afterCommit && rule.drop) return drop(request, reply);
      if (!rule.afterCommit && rule.status !== undefined) return send(reply, faultAnswer(rule.status, core.now()), core.now());
    }
    if (core.latencyMs > 0) await sleep(core.latencyMs);
    const sent = handle(core, request, realmId, apiPath, now);
    if (rule?.afterCommit) {
      if (rule.drop) return drop(request, reply);
      if (rule.status !== undefined) return send(reply, faultAnswer(rule.status, core.now()), core.now());
    }
    return send(reply, sent, now);
  };
  app.route({ method: ['GET', 'POST'], url: '/v3/company/:realmId/*', handler });
  app.route({ method: ['PUT', 'DELETE', 'PATCH'], url: '/v3/company/:realmId/*', handler: async (request, reply) =>
    sendJson(reply, 400, faults.unsupportedOperation(`Operation ${request.method} is not supported.`).body(core.now()), core.now()) });
}
