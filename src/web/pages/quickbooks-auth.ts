import type { FastifyInstance } from 'fastify';
import { flashNext, loadViewer, requireCompany } from '../auth/viewer.ts';
import { connectionOf, startConnect } from '../connection.ts';
import type { WebDeps } from '../deps.ts';
import { html } from '../render/html.ts';
import { csrfField } from '../render/layout.ts';
import { formatTime, sendPage } from '../render/respond.ts';
import { renderConnectionBadge } from './badges.ts';
import { booksName } from '../../qbo/index.ts';
import { connectedBooksText } from '../books-switch.ts';

export const QBO_AUTH_PATH = '/quickbooks-authentication';

/** The seed's QuickBooks Authentication page: the connection's state and the Refresh Token button. */
export function registerQuickBooksAuth(app: FastifyInstance, deps: WebDeps): void {
  app.get(QBO_AUTH_PATH, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const company = requireCompany(viewer);
    const c = await connectionOf(deps, company.id);
    // Until the next run has noted it, a reconnect to other books is said here too, with both companies and the work ahead.
    const switched = c.realmId !== null && c.previousRealmId !== null
      ? await connectedBooksText(deps.db, company.id, { realmId: c.realmId, companyName: c.companyName, previous: { realmId: c.previousRealmId, companyName: c.previousCompanyName } })
      : null;
    const body = html`<h1>QuickBooks Authentication</h1>
      <section class="card">
        <p class="notice">Connection of <strong>${company.name} (${company.code})</strong> to QuickBooks Online.</p>
        ${renderConnectionBadge(c, true)}
        <dl class="fields">
          <dt>QuickBooks company (realm)</dt><dd data-books>${c.realmId === null ? '—' : booksName(c.realmId, c.companyName)}</dd>
          <dt>Last token refresh</dt><dd>${formatTime(c.lastRefreshAt)}</dd>
          <dt>Access token expires</dt><dd>${formatTime(c.accessTokenExpiresAt)}</dd>
          <dt>Refresh token expires</dt><dd>${formatTime(c.refreshTokenExpiresAt)}${c.daysUntilRefreshExpiry !== null ? ` (in ${c.daysUntilRefreshExpiry} days)` : ''}</dd>
          <dt>Reconnect required by</dt><dd>${formatTime(c.hardExpiresAt)}</dd>
        </dl>
        ${switched ? html`<p class="notice" data-books-switch>${switched}</p>` : ''}
        ${c.warning ? html`<p class="flash error" role="alert">${c.warning}</p>` : ''}
        <form method="post" action="${QBO_AUTH_PATH}/refresh">${csrfField(viewer.csrfToken)}
          <button type="submit" class="button">Refresh Token</button></form>
        <p class="notice">Refresh Token opens Intuit's page: sign in with your QuickBooks credentials, choose the company and click Connect.
          You come back here when it is done. The access token itself renews on its own; this is needed on the first export
          and when the connection was lost or is older than 100 days.</p>
      </section>`;
    return sendPage(reply, viewer, { title: 'QuickBooks Authentication', path: QBO_AUTH_PATH, body });
  });

  app.post(`${QBO_AUTH_PATH}/refresh`, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const company = requireCompany(viewer);
    let authorizeUrl: string;
    try {
      ({ authorizeUrl } = await startConnect(deps, company.id, { userId: viewer.userId, sessionIdHash: viewer.sessionIdHash }));
    } catch (error) {
      // Intuit's discovery document unreachable or refused: say where we looked, keep the user on the page.
      request.log.error({ err: { message: (error as Error).message }, discoveryUrl: deps.config.qbo.discoveryUrl }, 'could not start the QuickBooks connection');
      await flashNext(deps.db, viewer.sessionIdHash, {
        kind: 'error',
        text: `Could not reach QuickBooks' sign-in service (${deps.config.qbo.discoveryUrl}): ${(error as Error).message}. Try again in a moment; if it persists, check the QBO_* settings.`,
      });
      return reply.redirect(QBO_AUTH_PATH, 303);
    }
    return reply.redirect(authorizeUrl, 303);
  });
}
