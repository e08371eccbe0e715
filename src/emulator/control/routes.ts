import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EmulatorCore } from '../core.ts';
import { bodyText } from '../http.ts';
import { entityByName } from '../api/schema.ts';
import { parseFaultRules } from './fault-rules.ts';
import { parseRealmKind } from '../realm-kind.ts';
import { behaviourFrom, parseBehaviour } from '../behaviour.ts';
import { webhookControlRoutes } from './webhooks.ts';

/** Test controls under `/_emulator/` (docs/design.md "Emulator contract"; extras in src/emulator/README.md). */

function json(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}

function parse(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function stateSummary(core: EmulatorCore): Record<string, unknown> {
  const now = core.now();
  return {
    clock: { now: new Date(now).toISOString(), offsetSeconds: core.clockOffsetMs / 1000 },
    defaultRealmId: core.defaultRealmId,
    limits: core.limits,
    latencyMs: core.latencyMs,
    realmBehaviour: core.realmBehaviour,
    realms: [...core.realms.values()].map((r) => ({
      realmId: r.id,
      name: r.name,
      ...r.kind,
      entities: Object.fromEntries([...r.entities].map(([name, rows]) => [name, rows.size])),
      requestIds: r.requestIds.size,
      behaviour: r.behaviour,
    })),
    tokens: core.tokens.summary(now),
    counters: { ...core.counters },
    faultRules: core.faultRules,
    webhooks: { ...core.webhooks.targets(), stats: core.webhooks.stats },
  };
}

export async function controlRoutes(app: FastifyInstance, core: EmulatorCore): Promise<void> {
  app.get('/_emulator/state', async (_request, reply) => json(reply, 200, stateSummary(core)));

  app.post('/_emulator/clock', async (request, reply) => {
    const body = parse(bodyText(request)) as { advanceSeconds?: unknown } | undefined;
    const seconds = body?.advanceSeconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return json(reply, 400, { error: 'body must be {"advanceSeconds": number}' });
    core.clockOffsetMs += seconds * 1000;
    core.changed();
    return json(reply, 200, { now: new Date(core.now()).toISOString(), offsetSeconds: core.clockOffsetMs / 1000 });
  });

  app.post('/_emulator/realms', async (request, reply) => {
    const body = parse(bodyText(request)) as Record<string, unknown> | undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return json(reply, 400, { error: 'body must be a JSON object' });
    const name = body.name;
    if (name !== undefined && (typeof name !== 'string' || name.trim() === '' || name.length > 100)) {
      return json(reply, 400, { error: 'name must be a non-empty string of at most 100 characters' });
    }
    const kind = parseRealmKind(body);
    if (!kind.ok) return json(reply, 400, { error: kind.error });
    const behaviour = parseBehaviour(body);
    if (!behaviour.ok) return json(reply, 400, { error: behaviour.error });
    const fallbackName = `Sandbox Company_${kind.kind.country}_${core.realms.size + 1}`;
    const realm = core.addRealm(typeof name === 'string' ? name.trim() : fallbackName, undefined, kind.kind, behaviour.value);
    return json(reply, 201, { realmId: realm.id, name: realm.name, ...kind.kind });
  });

  // Switches an existing realm (e.g. the default one a connected app already uses) harsher or back.
  app.post('/_emulator/realms/:realmId/behaviour', async (request, reply) => {
    const { realmId } = request.params as { realmId: string };
    const realm = core.realms.get(realmId);
    if (!realm) return json(reply, 404, { error: `no realm ${realmId}` });
    const body = parse(bodyText(request));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return json(reply, 400, { error: 'body must be a JSON object' });
    const behaviour = parseBehaviour(body as Record<string, unknown>);
    if (!behaviour.ok) return json(reply, 400, { error: behaviour.error });
    realm.behaviour = behaviourFrom(behaviour.value, realm.behaviour);
    core.changed();
    return json(reply, 200, { realmId, behaviour: realm.behaviour });
  });

  app.post('/_emulator/realms/:realmId/disconnect', async (request, reply) => {
    const { realmId } = request.params as { realmId: string };
    if (!core.realms.has(realmId)) return json(reply, 404, { error: `no realm ${realmId}` });
    const revoked = core.tokens.revokeRealm(realmId);
    core.changed();
    return json(reply, 200, { realmId, revokedGrants: revoked });
  });

  app.get('/_emulator/realms/:realmId/entities/:entity', async (request, reply) => {
    const { realmId, entity } = request.params as { realmId: string; entity: string };
    const realm = core.realms.get(realmId);
    if (!realm) return json(reply, 404, { error: `no realm ${realmId}` });
    const def = entityByName(entity);
    if (!def) return json(reply, 404, { error: `unknown entity ${entity}` });
    const rows = [...(realm.entities.get(def.name)?.values() ?? [])];
    return json(reply, 200, { entity: def.name, count: rows.length, rows });
  });

  app.post('/_emulator/faults', async (request, reply) => {
    const parsed = parseFaultRules(parse(bodyText(request)));
    if (!parsed.ok) return json(reply, 400, { error: parsed.error });
    core.faultRules.push(...parsed.rules);
    return json(reply, 200, { rules: core.faultRules });
  });

  app.delete('/_emulator/faults', async (_request, reply) => {
    core.faultRules = [];
    return json(reply, 200, { rules: [] });
  });

  await webhookControlRoutes(app, core);

  app.post('/_emulator/reset', async (_request, reply) => {
    core.reset();
    return json(reply, 200, { defaultRealmId: core.defaultRealmId });
  });
}
