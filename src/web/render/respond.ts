import type { FastifyReply } from 'fastify';
import type { Viewer } from '../auth/viewer.ts';
import type { SafeHtml } from './html.ts';
import { page } from './layout.ts';

/** Sends a signed-in page in the common layout, with the viewer's one-shot flash message. */
export function sendPage(
  reply: FastifyReply,
  viewer: Viewer,
  options: { title: string; path: string; body: SafeHtml; head?: SafeHtml; status?: number },
): FastifyReply {
  const markup = page({
    title: options.title, path: options.path, body: options.body, viewer, flash: viewer.flash,
    ...(options.head ? { head: options.head } : {}),
  });
  return reply.status(options.status ?? 200).type('text/html; charset=utf-8').send(markup.value);
}

export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  // Shown in UTC with the zone spelled out: finance users compare these with QuickBooks' audit log.
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
