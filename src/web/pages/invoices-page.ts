import type { FastifyInstance } from 'fastify';
import { findInvoiceByNo } from '../../store/erp/invoices.ts';
import { listInvoicesWithState, QBO_STATUSES, reexportInvoice, statusCounts, syncCompany, type InvoiceWithQboState, type QboStatus } from '../../sync/index.ts';
import { flashNext, loadViewer, requireCompany } from '../auth/viewer.ts';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { html, type SafeHtml } from '../render/html.ts';
import { csrfField } from '../render/layout.ts';
import { formatTime, sendPage } from '../render/respond.ts';

export const INVOICES_PATH = '/invoices';
const PAGE_SIZE = 200;
const labels: Record<QboStatus, string> = { open: 'Open', 'partially-paid': 'Partly paid', paid: 'Paid', voided: 'Voided', deleted: 'Deleted' };

function isStatus(value: unknown): value is QboStatus {
  return typeof value === 'string' && (QBO_STATUSES as readonly string[]).includes(value);
}

function stateBadge(status: QboStatus | null, transferred: boolean): SafeHtml {
  if (!transferred) return html`<span class="badge muted">Not exported</span>`;
  if (status === null) return html`<span class="badge muted">Not read back yet</span>`;
  const kind = status === 'paid' ? 'ok' : status === 'voided' || status === 'deleted' ? 'error' : status === 'partially-paid' ? 'warn' : 'muted';
  return html`<span class="badge ${kind}" data-qbo-status="${status}">${labels[status]}</span>`;
}

/** Voided and deleted invoices are flagged; sending one again is the user's explicit, confirmed choice. */
function reexportForm(csrf: string, row: InvoiceWithQboState): SafeHtml {
  if (row.qboStatus !== 'voided' && row.qboStatus !== 'deleted') return html``;
  return html`<form method="post" action="${INVOICES_PATH}/reexport" class="inline-form">${csrfField(csrf)}
    <input type="hidden" name="invoiceNo" value="${row.invoiceNo}">
    <label class="check"><input type="checkbox" name="confirm" value="yes" required> <span>I want ${row.invoiceNo} exported to QuickBooks again</span></label>
    <button type="submit" class="button secondary small">Export again</button></form>`;
}

function invoiceRow(csrf: string, r: InvoiceWithQboState): SafeHtml {
  return html`<tr data-invoice="${r.invoiceNo}">
    <td>${r.invoiceNo}</td><td>${r.invoiceDate}</td><td>${r.customerName} <span class="notice">${r.customerNo}</span></td>
    <td>${r.qboInvoiceId ?? ''}</td><td>${stateBadge(r.qboStatus, r.transferred)}</td>
    <td class="num">${r.transferred ? r.qboBalance ?? '' : ''}</td><td class="num">${r.transferred ? r.qboTotal ?? '' : ''}</td>
    <td>${r.lastPaymentDate ?? ''}</td><td>${r.syncedAt ? formatTime(r.syncedAt) : ''}</td><td>${reexportForm(csrf, r)}</td></tr>`;
}

export function registerInvoicesPage(app: FastifyInstance, deps: WebDeps): void {
  app.get<{ Querystring: { status?: string; after?: string } }>(INVOICES_PATH, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const company = requireCompany(viewer);
    const status = isStatus(request.query.status) ? request.query.status : undefined;
    const afterId = Number.parseInt(request.query.after ?? '', 10);
    const [rows, counts] = await Promise.all([
      listInvoicesWithState(deps.db.kysely, company.id, { limit: PAGE_SIZE + 1, ...(status ? { qboStatus: status } : {}), ...(afterId > 0 ? { afterId } : {}) }),
      statusCounts(deps.db.kysely, company.id),
    ]);
    const shown = rows.slice(0, PAGE_SIZE);
    const next = rows.length > PAGE_SIZE ? shown.at(-1)?.id : undefined;
    const query = (s: QboStatus | undefined) => (s ? `?status=${s}` : '');
    const body = html`<h1>Invoices</h1>
      <p class="notice">${company.name} (${company.code}): each exported invoice's state in QuickBooks — paid, partly paid, voided or deleted there —
        read back by webhooks as it happens and by a sweep every ${deps.config.sync.sweepMinutes} minutes.</p>
      <section class="card">
        <nav aria-label="Filter by QuickBooks state" class="filters">
          <a href="${INVOICES_PATH}"${status === undefined ? html` aria-current="page"` : ''}>All</a>
          ${QBO_STATUSES.map((s) => html` <a href="${INVOICES_PATH}${query(s)}" data-filter="${s}"${status === s ? html` aria-current="page"` : ''}>${labels[s]} (${counts[s]})</a>`)}
        </nav>
        <form method="post" action="${INVOICES_PATH}/sync">${csrfField(viewer.csrfToken)}<button type="submit" class="button secondary">Sync with QuickBooks now</button></form>
      </section>
      ${shown.length === 0
        ? html`<p class="card">${status ? `No invoices are ${labels[status].toLowerCase()} in QuickBooks.` : 'This company has no invoices yet.'}</p>`
        : html`<table class="invoices">
          <thead><tr><th scope="col">Invoice</th><th scope="col">Date</th><th scope="col">Customer</th><th scope="col">QBO Id</th><th scope="col">QuickBooks state</th>
            <th scope="col">Balance</th><th scope="col">Total</th><th scope="col">Last payment</th><th scope="col">Read back</th><th scope="col"></th></tr></thead>
          <tbody>${shown.map((r) => invoiceRow(viewer.csrfToken, r))}</tbody></table>`}
      ${next !== undefined ? html`<p><a href="${INVOICES_PATH}?${status ? `status=${status}&` : ''}after=${next}">Next ${PAGE_SIZE}</a></p>` : ''}
      <p class="notice">Also: <code>qbo-export invoices --company ${company.code} --json</code>, and <code>/api/companies/${company.code}/invoices</code> (JSON) or <code>/api/companies/${company.code}/invoices.csv</code>.</p>`;
    return sendPage(reply, viewer, { title: 'Invoices', path: INVOICES_PATH, body });
  });

  app.post(`${INVOICES_PATH}/sync`, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const company = requireCompany(viewer);
    const result = await syncCompany(deps, { id: company.id }, { wait: true });
    await flashNext(deps.db, viewer.sessionIdHash, { kind: 'success', text: `QuickBooks read back: ${result.changes} invoice state${result.changes === 1 ? '' : 's'} changed.` });
    return reply.redirect(INVOICES_PATH, 303);
  });

  app.post<{ Body: { invoiceNo?: string; confirm?: string } }>(`${INVOICES_PATH}/reexport`, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const company = requireCompany(viewer);
    const invoiceNo = String(request.body.invoiceNo ?? '');
    if (!(await findInvoiceByNo(deps.db.kysely, company.id, invoiceNo))) throw new WebError('NOT_FOUND', `There is no invoice ${invoiceNo}.`);
    if (request.body.confirm !== 'yes') {
      await flashNext(deps.db, viewer.sessionIdHash, { kind: 'error', text: `Tick the box to confirm that ${invoiceNo} should be exported again.` });
      return reply.redirect(`${INVOICES_PATH}?status=voided`, 303);
    }
    await reexportInvoice(deps.db, company.code, invoiceNo);
    await flashNext(deps.db, viewer.sessionIdHash, { kind: 'success', text: `${invoiceNo} will be exported again by the next export.` });
    return reply.redirect(INVOICES_PATH, 303);
  });
}
