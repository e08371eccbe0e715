import type { FastifyInstance } from 'fastify';
import { UNAUTHORIZED_MESSAGE } from '../../qbo/errors.ts';
import { getRun, listRuns, type RunEntry, type RunMessage, type RunWithMessages } from '../../store/runs/repository.ts';
import type { RunStatus } from '../../store/runs/tables.ts';
import { loadViewer, type Viewer } from '../auth/viewer.ts';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { html, type SafeHtml } from '../render/html.ts';
import { formatTime, sendPage } from '../render/respond.ts';
import { statusLabel } from './badges.ts';
import { fixHint } from './fix-hints.ts';

export const PROCESS_LOG_PATH = '/process-log';
const PAGE_SIZE = 50;
const statuses: readonly RunStatus[] = ['running', 'succeeded', 'partial', 'failed'];

function isStatus(value: unknown): value is RunStatus {
  return typeof value === 'string' && (statuses as readonly string[]).includes(value);
}

/** A run of one of the viewer's companies, or 404 (another company's run is not revealed). */
export async function runOfViewer(deps: WebDeps, viewer: Pick<Viewer, 'companies'>, runId: number): Promise<RunWithMessages> {
  const run = Number.isSafeInteger(runId) ? await getRun(deps.db.kysely, runId) : null;
  if (!run || !viewer.companies.some((c) => c.id === run.companyId)) throw new WebError('NOT_FOUND', `There is no Process Log entry ${String(runId)}.`);
  return run;
}

/** One count per line, failures marked: readable in a narrow column. */
function countsCell(c: { matched?: number; added?: number; created?: number; alreadyInQbo?: number; failed: number; inDoubt?: number }, inline = false): SafeHtml {
  const parts = c.created !== undefined
    ? [`${c.created} created`, `${c.alreadyInQbo ?? 0} already in QBO`]
    : [`${c.added ?? 0} added`, `${c.matched ?? 0} matched`];
  const sep = inline ? html`, ` : html`<br>`;
  // In doubt (issue 13): QuickBooks' answer was lost and the next run settles it; shown only when there is any.
  const doubt = c.inDoubt ? html`${sep}<span class="level-warning">${c.inDoubt} in doubt</span>` : '';
  return html`${parts.map((p) => html`${p}${sep}`)}<span class="${c.failed > 0 ? 'level-error' : ''}">${c.failed} failed</span>${doubt}`;
}

function runRow(run: RunEntry): SafeHtml {
  return html`<tr>
    <td><a href="${PROCESS_LOG_PATH}/${run.id}">${run.name}</a>${run.dryRun ? html` <span class="badge muted">Dry run</span>` : ''}</td>
    <td>${statusLabel(run.status)}</td>
    <td>${run.startedBy}</td>
    <td>${formatTime(run.startedAt).replace(' ', '\u00a0')}<br><span class="notice">${run.finishedAt ? `ended ${formatTime(run.finishedAt).slice(11)}` : 'running'}</span></td>
    <td>${countsCell(run.counts.customers)}</td>
    <td>${countsCell(run.counts.products)}</td>
    <td>${countsCell(run.counts.invoices)}</td>
  </tr>`;
}

/** At most this many information lines are listed; problems are always listed in full. */
const MAX_INFO = 500;

function messageRows(messages: readonly RunMessage[], withHint: boolean): SafeHtml {
  return html`${messages.map((m) => html`<tr>
    <td class="level-${m.level}">${m.level}</td>
    <td>${m.recordKind}${m.recordKey ? html` <strong>${m.recordKey}</strong>` : ''}</td>
    <td>${m.qboCode ?? ''}</td>
    <td>${m.message}</td>
    ${withHint ? html`<td>${fixHint(m) ?? ''}</td>` : ''}</tr>`)}`;
}

/** Errors and warnings first with what to fix; the per-record information folded away below them. */
function messagesSection(run: RunWithMessages): SafeHtml {
  const problems = run.messages.filter((m) => m.level !== 'info');
  const info = run.messages.filter((m) => m.level === 'info');
  const errors = problems.filter((m) => m.level === 'error').length;
  const warnings = problems.length - errors;
  const hints = problems.some((m) => fixHint(m) !== null);
  return html`<h2>Errors and warnings</h2>
    ${problems.length === 0
      ? html`<p class="card">None: every record went through.</p>`
      : html`<p class="notice">${errors} error${errors === 1 ? '' : 's'} and ${warnings} warning${warnings === 1 ? '' : 's'}, errors first.</p>
        <table class="messages">
          <thead><tr><th scope="col">Level</th><th scope="col">Record</th><th scope="col">QBO code</th><th scope="col">Message</th>${hints ? html`<th scope="col">What to fix</th>` : ''}</tr></thead>
          <tbody>${messageRows(problems, hints)}</tbody>
        </table>`}
    ${info.length > 0
      ? html`<details class="info-messages"><summary>${info.length} information message${info.length === 1 ? '' : 's'} (matched, added and created records)</summary>
          <table class="messages">
            <thead><tr><th scope="col">Level</th><th scope="col">Record</th><th scope="col">QBO code</th><th scope="col">Message</th></tr></thead>
            <tbody>${messageRows(info.slice(0, MAX_INFO), false)}</tbody>
          </table>
          ${info.length > MAX_INFO ? html`<p class="notice">The first ${MAX_INFO} are shown; <code>qbo-export log --run ${run.id}</code> lists them all.</p>` : ''}
        </details>`
      : ''}`;
}

export function registerProcessLog(app: FastifyInstance, deps: WebDeps): void {
  app.get<{ Querystring: { status?: string; page?: string } }>(PROCESS_LOG_PATH, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const status = isStatus(request.query.status) ? request.query.status : undefined;
    const pageNo = Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1);
    const runs = viewer.company
      ? await listRuns(deps.db.kysely, { companyId: viewer.company.id, limit: PAGE_SIZE + 1, offset: (pageNo - 1) * PAGE_SIZE, ...(status ? { status } : {}) })
      : [];
    const more = runs.length > PAGE_SIZE;
    const query = (p: number) => `?${status ? `status=${status}&` : ''}page=${p}`;
    const body = html`<h1>Process Log</h1>
      <form class="filters" method="get" action="${PROCESS_LOG_PATH}">
        <label for="status">Status</label>
        <select id="status" name="status">
          <option value="">All</option>
          ${statuses.map((s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${s.charAt(0).toUpperCase() + s.slice(1)}</option>`)}
        </select>
        <button type="submit" class="button secondary small">Filter</button>
      </form>
      ${runs.length === 0
        ? html`<p class="card">No Process Log entries${status ? html` with status ${status}` : ''} for ${viewer.company?.name ?? 'your company'} yet.</p>`
        : html`<table class="runs">
            <caption class="visually-hidden">Export runs of ${viewer.company?.name ?? ''}, newest first</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Started by</th><th scope="col">Started</th><th scope="col">Customers</th><th scope="col">Products</th><th scope="col">Invoices</th></tr></thead>
            <tbody>${runs.slice(0, PAGE_SIZE).map(runRow)}</tbody>
          </table>`}
      <p class="actions">${pageNo > 1 ? html`<a href="${query(pageNo - 1)}">Newer entries</a>` : ''}
        ${more ? html`<a href="${query(pageNo + 1)}">Older entries</a>` : ''}</p>`;
    return sendPage(reply, viewer, { title: 'Process Log', path: PROCESS_LOG_PATH, body });
  });

  app.get<{ Params: { id: string } }>(`${PROCESS_LOG_PATH}/:id`, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const run = await runOfViewer(deps, viewer, Number(request.params.id));
    const body = html`<p><a href="${PROCESS_LOG_PATH}">← Process Log</a></p>
      <h1>${run.name} #${run.id}${run.dryRun ? ' (dry run)' : ''}</h1>
      <section class="card">
        <dl class="fields">
          <dt>Company</dt><dd>${run.companyCode}</dd>
          <dt>Status</dt><dd>${statusLabel(run.status)}</dd>
          <dt>Started by</dt><dd>${run.startedBy}</dd>
          <dt>Started</dt><dd>${formatTime(run.startedAt)}</dd>
          <dt>Finished</dt><dd>${formatTime(run.finishedAt)}</dd>
          <dt>Customers</dt><dd>${countsCell(run.counts.customers, true)}</dd>
          <dt>Products</dt><dd>${countsCell(run.counts.products, true)}</dd>
          <dt>Invoices</dt><dd>${countsCell(run.counts.invoices, true)}</dd>
          <dt>Credit memos</dt><dd>${countsCell(run.counts.creditMemos, true)}, ${run.counts.creditMemos.applied} applied</dd>
        </dl>
        ${run.error ? html`<p class="flash error" role="alert">${run.error}
          ${run.error.includes(UNAUTHORIZED_MESSAGE) ? html` <a href="/quickbooks-authentication">Go to QuickBooks Authentication</a>` : ''}</p>` : ''}
        ${run.status === 'running' ? html`<p><a href="/sales-invoice-export/runs/${run.id}">Follow its progress</a></p>` : ''}
      </section>
      ${messagesSection(run)}`;
    return sendPage(reply, viewer, { title: `Process Log #${run.id}`, path: PROCESS_LOG_PATH, body });
  });
}
