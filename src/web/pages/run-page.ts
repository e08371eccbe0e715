import type { FastifyInstance } from 'fastify';
import { isAppError, type AppError } from '../../config/errors.ts';
import { UNAUTHORIZED_MESSAGE } from '../../qbo/errors.ts';
import { listRuns, type RunWithMessages } from '../../store/runs/repository.ts';
import { flashNext, loadViewer, requireCompany } from '../auth/viewer.ts';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { html, type SafeHtml } from '../render/html.ts';
import { formatTime, sendPage } from '../render/respond.ts';
import { streamRunEvents, type RunEventStreams } from '../run-events.ts';
import { statusLabel } from './badges.ts';
import { EXPORT_PATH } from './export-page.ts';
import { runOfViewer } from './process-log.ts';

function isAlreadyRunning(error: unknown): error is AppError {
  return isAppError(error) && error.code === 'EXPORT_ALREADY_RUNNING';
}

function summary(run: RunWithMessages): SafeHtml {
  const c = run.counts;
  const errors = run.messages.filter((m) => m.level === 'error').length;
  return html`<section class="card" aria-live="polite">
    <h2>${run.dryRun ? 'Dry run' : 'Export'} finished: ${statusLabel(run.status)}</h2>
    ${run.dryRun ? html`<p class="notice">Nothing was written to QuickBooks: the counts below are what an export would do now.</p>` : ''}
    <dl class="fields">
      <dt>Customers</dt><dd>${c.customers.matched} matched, ${c.customers.added} added, ${c.customers.failed} failed, ${c.customers.inDoubt} in doubt</dd>
      <dt>Products</dt><dd>${c.products.matched} matched, ${c.products.added} added, ${c.products.failed} failed, ${c.products.inDoubt} in doubt</dd>
      <dt>Invoices</dt><dd>${c.invoices.created} created, ${c.invoices.alreadyInQbo} already in QuickBooks, ${c.invoices.failed} failed, ${c.invoices.inDoubt} in doubt</dd>
      <dt>Credit memos</dt><dd>${c.creditMemos.created} created, ${c.creditMemos.alreadyInQbo} already in QuickBooks, ${c.creditMemos.failed} failed, ${c.creditMemos.applied} applied, ${c.creditMemos.inDoubt} in doubt</dd>
      <dt>Finished</dt><dd>${formatTime(run.finishedAt)}</dd>
    </dl>
    ${c.customers.inDoubt + c.products.inDoubt + c.invoices.inDoubt + c.creditMemos.inDoubt > 0 ? html`<p class="notice">In doubt: QuickBooks' answer to these writes was lost, so whether they were applied is not known yet. Nothing to do: the next export looks them up, adopts what QuickBooks has and sends the rest again (see the warnings below).</p>` : ''}
    ${run.error ? html`<p class="flash error" role="alert">${run.error}
      ${run.error.includes(UNAUTHORIZED_MESSAGE) ? html` <a href="/quickbooks-authentication">Go to QuickBooks Authentication</a>` : ''}</p>` : ''}
    <p><a class="button" href="/process-log/${run.id}">Open its Process Log entry</a>
      ${errors ? html` <span class="notice">${errors} record${errors === 1 ? '' : 's'} to fix, listed there first.</span>` : ''}</p>
  </section>`;
}

function progress(run: RunWithMessages): SafeHtml {
  return html`<section class="card" data-run-events="${EXPORT_PATH}/runs/${run.id}/events" aria-live="polite">
    <h2>${run.dryRun ? 'Dry run' : 'Export'} running</h2>
    <label for="run-progress" class="progress-text">Starting…</label>
    <progress id="run-progress"></progress>
    <p class="notice">Started ${formatTime(run.startedAt)} by ${run.startedBy}. You may leave this page; the run goes on and its result will be in the
      <a href="/process-log/${run.id}">Process Log</a>.</p>
  </section>`;
}

/** Export and Dry run (plain form posts that work without JavaScript), the run page and its event stream. */
export function registerRunPage(app: FastifyInstance, deps: WebDeps, streams: RunEventStreams): void {
  app.post<{ Body: Record<string, string | undefined> }>(`${EXPORT_PATH}/runs`, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const company = requireCompany(viewer);
    if (!deps.exportService) throw new WebError('UNAVAILABLE', 'Exports cannot be started from this server.');
    const dryRun = request.body.mode === 'dry-run';
    try {
      const { runId } = await deps.exportService.start(company.id, viewer.email, { dryRun });
      return reply.redirect(`${EXPORT_PATH}/runs/${runId}`, 303);
    } catch (error) {
      if (!isAlreadyRunning(error)) throw error;
      await flashNext(deps.db, viewer.sessionIdHash, { kind: 'error', text: error.message });
      const [running] = await listRuns(deps.db.kysely, { companyId: company.id, status: 'running', limit: 1 });
      return reply.redirect(running ? `${EXPORT_PATH}/runs/${running.id}` : EXPORT_PATH, 303);
    }
  });

  app.get<{ Params: { id: string } }>(`${EXPORT_PATH}/runs/:id`, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const run = await runOfViewer(deps, viewer, Number(request.params.id));
    const running = run.status === 'running';
    const body = html`<p><a href="${EXPORT_PATH}">← Sales Invoice Export</a></p>
      <h1>${run.name} #${run.id}</h1>
      ${running ? progress(run) : summary(run)}`;
    // Without JavaScript the page reloads itself until the run ends; with it, the event stream drives it.
    const head = running ? html`<script src="/assets/progress.js" defer></script><noscript><meta http-equiv="refresh" content="3"></noscript>` : undefined;
    return sendPage(reply, viewer, { title: `Run #${run.id}`, path: EXPORT_PATH, body, ...(head ? { head } : {}) });
  });

  app.get<{ Params: { id: string } }>(`${EXPORT_PATH}/runs/:id/events`, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db, { consumeFlash: false });
    const run = await runOfViewer(deps, viewer, Number(request.params.id));
    await streamRunEvents(request, reply, deps, streams, run.id);
  });
}
