import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EmulatorCore } from '../core.ts';
import { bodyText } from '../http.ts';

/**
 * Webhook controls (src/emulator/README.md "Webhooks"): a realm's own endpoint, the fault that loses
 * deliveries, and what was sent.
 */

function json(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = text.trim() === '' ? {} : JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function webhookControlRoutes(app: FastifyInstance, core: EmulatorCore): Promise<void> {
  app.get('/_emulator/webhooks', async (_request, reply) =>
    json(reply, 200, { targets: core.webhooks.targets(), dropRemaining: Number.isFinite(core.webhooks.dropRemaining) ? core.webhooks.dropRemaining : 'all', stats: core.webhooks.stats, deliveries: core.webhooks.log }));

  app.post('/_emulator/realms/:realmId/webhooks', async (request, reply) => {
    const { realmId } = request.params as { realmId: string };
    if (!core.realms.has(realmId)) return json(reply, 404, { error: `no realm ${realmId}` });
    const body = parseObject(bodyText(request));
    const url = body?.url;
    const verifier = body?.verifier;
    if (url === null) {
      core.webhooks.setRealmTarget(realmId, null);
      return json(reply, 200, { realmId, url: null });
    }
    if (typeof url !== 'string' || !/^https?:\/\//.test(url) || typeof verifier !== 'string' || verifier === '') {
      return json(reply, 400, { error: 'body must be {"url": "http(s)://…", "verifier": "token"} or {"url": null} to switch webhooks off' });
    }
    core.webhooks.setRealmTarget(realmId, { url, verifier });
    return json(reply, 200, { realmId, url });
  });

  app.post('/_emulator/webhooks/faults', async (request, reply) => {
    const drop = parseObject(bodyText(request))?.drop;
    if (drop !== 'all' && (typeof drop !== 'number' || !Number.isInteger(drop) || drop < 0)) {
      return json(reply, 400, { error: 'body must be {"drop": N} (the next N deliveries are lost) or {"drop": "all"}' });
    }
    core.webhooks.dropRemaining = drop === 'all' ? Number.POSITIVE_INFINITY : drop;
    return json(reply, 200, { dropRemaining: drop });
  });

  app.delete('/_emulator/webhooks/faults', async (_request, reply) => {
    core.webhooks.dropRemaining = 0;
    return json(reply, 200, { dropRemaining: 0 });
  });
}
