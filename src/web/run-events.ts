import type { FastifyReply, FastifyRequest } from 'fastify';
import { getRun, type RunEntry } from '../store/runs/repository.ts';
import type { WebDeps } from './deps.ts';

/** How often the stream re-reads the run: a run started by another process or instance still finishes here. */
const POLL_MS = 500;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/** The open streams of one app, ended before the server closes so that a graceful close does not wait on them. */
export class RunEventStreams {
  private readonly open = new Set<() => void>();
  add(end: () => void): () => void {
    this.open.add(end);
    return () => {
      this.open.delete(end);
    };
  }
  closeAll(): void {
    for (const end of [...this.open]) end();
  }
}

function finishedPayload(run: RunEntry): Record<string, unknown> {
  return {
    runId: run.id, status: run.status, dryRun: run.dryRun, counts: run.counts, error: run.error,
    startedAt: run.startedAt, finishedAt: run.finishedAt, processLogUrl: `/process-log/${run.id}`,
  };
}

/**
 * Server-sent events of one run: `progress` (phase, done, total) while it goes, then one `done` with the
 * Process Log entry's summary. Progress comes from the export service in this process when there is one;
 * the end always comes from the database, so the stream is right whoever runs the export.
 */
export async function streamRunEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: WebDeps,
  streams: RunEventStreams,
  runId: number,
): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let ended = false;
  const send = (event: string, data: unknown) => {
    if (!ended) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: (() => void) | undefined;
  let forget: () => void = () => undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    for (const t of timers) clearInterval(t);
    unsubscribe?.();
    forget();
    res.end();
  };
  forget = streams.add(end);
  request.raw.on('close', end);

  const check = async () => {
    try {
      const run = await getRun(deps.db.kysely, runId);
      if (!run) return end();
      if (run.status !== 'running') {
        send('done', finishedPayload(run));
        end();
      }
    } catch (error) {
      request.log.warn({ err: error, runId }, 'run event stream could not read the run');
    }
  };
  res.write(`retry: 2000\n\n`);
  const subscribed = deps.exportService?.subscribe(runId, (event) => {
    if (event.type === 'progress') {
      const { phase, done, total, counts } = event.progress;
      send('progress', { phase, done, total, counts });
    } else {
      // The run is over: the database has its final state, read it now rather than at the next poll.
      void check();
    }
  });
  if (subscribed) unsubscribe = subscribed;
  await check();
  if (ended) return;
  timers.push(setInterval(() => void check(), POLL_MS));
  timers.push(setInterval(() => !ended && res.write(': keep-alive\n\n'), HEARTBEAT_MS));
}
