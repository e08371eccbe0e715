import type { FastifyReply, FastifyRequest } from 'fastify';

/** 127.0.0.0/8, ::1 and their IPv4-mapped IPv6 forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/i, '');
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

/** Every address a proxy says the request passed through (`X-Forwarded-For`, `Forwarded: for=`). */
function forwardedAddresses(request: FastifyRequest): string[] {
  const xff = request.headers['x-forwarded-for'];
  const list = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',').map((a) => a.trim()).filter(Boolean);
  const forwarded = request.headers.forwarded ?? '';
  for (const match of forwarded.matchAll(/for="?\[?([^\]";,]+)/gi)) if (match[1]) list.push(match[1].trim());
  return list;
}

/**
 * When the app mounts the emulator (`qbo-export start`), its control endpoints (`/_emulator/*`: state, faults,
 * reset, clock) let anyone rewrite QuickBooks' answers. They answer only a client on this machine: the socket's
 * peer must be loopback and so must every address a proxy forwarded for (a reverse proxy on this machine would
 * otherwise make every visitor look local). Everyone else gets a plain 404, as if the endpoint did not exist.
 */
export async function controlFromLoopbackOnly(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.url.split('?')[0]?.includes('/_emulator/')) return;
  if (isLoopback(request.socket.remoteAddress) && forwardedAddresses(request).every(isLoopback)) return;
  await reply.code(404).header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ error: 'the emulator control endpoints answer only on this machine (loopback)' }));
}
