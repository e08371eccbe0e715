import { html, type SafeHtml } from './html.ts';

export interface LayoutViewer {
  readonly email: string;
  readonly csrfToken: string;
  readonly companies: readonly { readonly id: number; readonly code: string; readonly name: string }[];
  readonly currentCompanyId: number | null;
}

export interface PageOptions {
  readonly title: string;
  readonly body: SafeHtml;
  /** Signed-in pages get the top bar with the company switcher and the slide menu. */
  readonly viewer?: LayoutViewer;
  readonly flash?: { readonly kind: 'info' | 'success' | 'error'; readonly text: string } | null;
  /** Path of the page, so the menu can mark where the user is. */
  readonly path?: string;
  /** Extra tags for <head>, e.g. the script of the live progress. */
  readonly head?: SafeHtml;
}

export const menuLinks = [
  { href: '/sales-invoice-export', label: 'Sales Invoice Export' },
  { href: '/quickbooks-authentication', label: 'QuickBooks Authentication' },
  { href: '/invoices', label: 'Invoices' },
  { href: '/process-log', label: 'Process Log' },
  { href: '/setup', label: 'Setup' },
] as const;

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

function companySwitcher(viewer: LayoutViewer, path: string | undefined): SafeHtml {
  if (viewer.companies.length === 0) return html``;
  return html`<form class="company-switch" method="post" action="/company">
    ${csrfField(viewer.csrfToken)}
    <input type="hidden" name="back" value="${path ?? '/sales-invoice-export'}">
    <label for="company-switch">Company</label>
    <select id="company-switch" name="companyId">
      ${viewer.companies.map((c) => html`<option value="${c.id}"${c.id === viewer.currentCompanyId ? html` selected` : ''}>${c.name} (${c.code})</option>`)}
    </select>
    <button type="submit" class="button secondary small">Switch</button>
  </form>`;
}

/** The seed's slide menu, opened by the arrow at the top right. A <details> works without JavaScript. */
function slideMenu(viewer: LayoutViewer, path: string | undefined): SafeHtml {
  return html`<details class="slide-menu">
    <summary aria-label="Menu" title="Menu"><svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22"><path d="M15 5l-7 7 7 7" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg></summary>
    <nav aria-label="Main menu" class="slide-panel">
      <p class="menu-user">Signed in as <strong>${viewer.email}</strong></p>
      <ul>
        ${menuLinks.map((l) => html`<li><a href="${l.href}"${path === l.href ? html` aria-current="page"` : ''}>${l.label}</a></li>`)}
      </ul>
      <form method="post" action="/sign-out">${csrfField(viewer.csrfToken)}<button type="submit" class="button secondary">Sign out</button></form>
    </nav>
  </details>`;
}

export function page(options: PageOptions): SafeHtml {
  const { viewer, flash } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · qbo-export</title>
<link rel="stylesheet" href="/assets/style.css">
${options.head}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
  <a class="brand" href="/sales-invoice-export">qbo-export</a>
  ${viewer ? companySwitcher(viewer, options.path) : ''}
  ${viewer ? slideMenu(viewer, options.path) : ''}
</header>
<main id="main">
  ${flash ? html`<p class="flash ${flash.kind}" role="${flash.kind === 'error' ? 'alert' : 'status'}">${flash.text}</p>` : ''}
  ${options.body}
</main>
</body>
</html>`;
}
