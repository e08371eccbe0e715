import { UNAUTHORIZED_MESSAGE } from '../../qbo/errors.ts';
import type { ConnectionView } from '../connection.ts';
import { html, type SafeHtml } from '../render/html.ts';

export type BadgeKind = 'ok' | 'warn' | 'error' | 'muted';

/** Decides the connection badge and why (docs/design.md rule 9): connected / expires in N days / reconnect needed. */
export function connectionBadge(c: ConnectionView): { kind: BadgeKind; text: string; detail: string | null } {
  if (!c.connected) return { kind: 'error', text: 'Not connected', detail: 'Connect on the QuickBooks Authentication page before exporting.' };
  if (c.needsReconnect) {
    // The key cannot open the tokens: the operator can fix that (restore APP_SECRET) without Intuit, so say only that.
    if (c.reasonCode === 'secret-mismatch') return { kind: 'error', text: 'Reconnect needed', detail: c.reason };
    return { kind: 'error', text: 'Reconnect needed', detail: c.reason === UNAUTHORIZED_MESSAGE || !c.reason ? UNAUTHORIZED_MESSAGE : `${c.reason} ${UNAUTHORIZED_MESSAGE}` };
  }
  if (c.warning || (c.daysUntilRefreshExpiry !== null && c.daysUntilRefreshExpiry < 14)) {
    const days = c.daysUntilRefreshExpiry ?? 0;
    return { kind: 'warn', text: `Refresh token expires in ${days} day${days === 1 ? '' : 's'}`, detail: c.warning };
  }
  return { kind: 'ok', text: 'Connected', detail: null };
}

/** `onAuthPage`: the QuickBooks Authentication page itself, where the next step is its Refresh Token button. */
export function renderConnectionBadge(c: ConnectionView, onAuthPage = false): SafeHtml {
  const badge = connectionBadge(c);
  const withLink = !onAuthPage;
  if (onAuthPage && !c.connected) badge.detail = 'Click Refresh Token below to connect this company.';
  return html`<p class="connection"><span class="badge ${badge.kind}" data-connection="${badge.kind}">QuickBooks: ${badge.text}</span>
    ${badge.detail ? html` <span class="notice">${badge.detail}</span>` : ''}
    ${withLink && badge.kind !== 'ok' ? html` <a href="/quickbooks-authentication">QuickBooks Authentication</a>` : ''}</p>`;
}

export function statusLabel(status: string): SafeHtml {
  const label = status.charAt(0).toUpperCase() + status.slice(1);
  return html`<span class="status-${status}">${label}</span>`;
}
