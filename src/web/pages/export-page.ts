import type { FastifyInstance } from 'fastify';
import { exportCounts } from '../../store/erp/counts.ts';
import { listRuns, type RunEntry } from '../../store/runs/repository.ts';
import { loadViewer, requireCompany } from '../auth/viewer.ts';
import { connectionOf } from '../connection.ts';
import type { WebDeps } from '../deps.ts';
import { html, type SafeHtml } from '../render/html.ts';
import { csrfField } from '../render/layout.ts';
import { formatTime, sendPage } from '../render/respond.ts';
import { renderConnectionBadge, statusLabel } from './badges.ts';
import { exportedPerDay, renderChart } from './chart.ts';

export const EXPORT_PATH = '/sales-invoice-export';

function lastRunLine(run: RunEntry | undefined): SafeHtml {
  if (!run) return html`<p class="notice">No export has run for this company yet.</p>`;
  const what = run.dryRun ? 'Last dry run' : 'Last export';
  if (run.status === 'running') {
    return html`<p class="notice">An export is running (started ${formatTime(run.startedAt)} by ${run.startedBy}).
      <a href="${EXPORT_PATH}/runs/${run.id}">Follow its progress</a>.</p>`;
  }
  return html`<p class="notice">${what}: ${statusLabel(run.status)}, ${formatTime(run.finishedAt ?? run.startedAt)} by ${run.startedBy}.
    <a href="/process-log/${run.id}">Open its Process Log entry</a>.</p>`;
}

/** The seed's Sales Invoice Export page: the company, the three export quantities (and credit memos'), Export and Dry run. */
export function registerExportPage(app: FastifyInstance, deps: WebDeps): void {
  app.get(EXPORT_PATH, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    if (!viewer.company) {
      return sendPage(reply, viewer, {
        title: 'Sales Invoice Export', path: EXPORT_PATH,
        body: html`<h1>Sales Invoice Export</h1><section class="card"><p>Your account has no company yet. Ask an administrator to run
          <code>qbo-export users add ${viewer.email} --company CODE</code>.</p></section>`,
      });
    }
    const company = requireCompany(viewer);
    const now = deps.now?.() ?? new Date();
    const [counts, connection, runs, perDay] = await Promise.all([
      exportCounts(deps.db.kysely, company.id),
      connectionOf(deps, company.id),
      listRuns(deps.db.kysely, { companyId: company.id, limit: 1 }),
      exportedPerDay(deps.db, company.id, now),
    ]);
    const body = html`<h1>Sales Invoice Export</h1>
      <section class="card" aria-labelledby="export-fields">
        <h2 id="export-fields" class="visually-hidden">Export</h2>
        <div class="fields">
          <label for="company">Company</label><output id="company">${company.name} (${company.code})</output>
          <label for="product-export-qty">Product Export Qty</label><output id="product-export-qty">${counts.productExportQty}</output>
          <label for="customer-export-qty">Customer Export Qty</label><output id="customer-export-qty">${counts.customerExportQty}</output>
          <label for="invoice-export-qty">Invoice Export Qty</label><output id="invoice-export-qty">${counts.invoiceExportQty}</output>
          <label for="credit-memo-export-qty">Credit Memo Export Qty</label><output id="credit-memo-export-qty">${counts.creditMemoExportQty}</output>
        </div>
        ${renderConnectionBadge(connection)}
        <div class="actions">
          <form method="post" action="${EXPORT_PATH}/runs">${csrfField(viewer.csrfToken)}
            <input type="hidden" name="mode" value="export"><button type="submit" class="button">Export</button></form>
          <form method="post" action="${EXPORT_PATH}/runs">${csrfField(viewer.csrfToken)}
            <input type="hidden" name="mode" value="dry-run"><button type="submit" class="button secondary">Dry run</button></form>
        </div>
        ${lastRunLine(runs[0])}
      </section>
      <section class="card" aria-labelledby="chart-heading">
        <h2 id="chart-heading">Exported per day</h2>
        ${renderChart(perDay)}
      </section>`;
    return sendPage(reply, viewer, { title: 'Sales Invoice Export', path: EXPORT_PATH, body });
  });
}
