import { escapeHtml } from '../wire.ts';

export interface ConsentParams {
  client_id: string;
  redirect_uri: string;
  response_type: string;
  scope: string;
  state: string;
}

const style = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
label{display:block;margin:.8rem 0 .2rem}input,select{width:100%;padding:.4rem;box-sizing:border-box}
.buttons{margin-top:1.2rem;display:flex;gap:.6rem}.note{color:#555;font-size:.9rem}.error{color:#b00020}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${style}</style></head><body>${body}</body></html>`;
}

/** Intuit's sign-in and company choice, reduced to a plain form (docs/qbo-behaviour.md §1.4). */
export function consentPage(action: string, params: ConsentParams, realms: Array<{ id: string; name: string }>, error?: string): string {
  const hidden = (Object.entries(params) as Array<[string, string]>)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  const options = realms.map((r) => `<option value="${escapeHtml(r.id)}">${escapeHtml(r.name)} (${escapeHtml(r.id)})</option>`).join('');
  return page(
    'Sign in to QuickBooks (emulator)',
    `<h1>QuickBooks Online emulator</h1>
<p>An app wants to connect to your QuickBooks company.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">${hidden}
<label for="email">Email</label><input id="email" name="email" type="email" value="demo@example.com" required>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<p class="note">This is a local emulator: any non-empty password is accepted.</p>
<label for="realmId">Company</label><select id="realmId" name="realmId">${options}</select>
<div class="buttons"><button type="submit" name="action" value="connect">Connect</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button></div>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page('Authorization error', `<h1>Authorization error</h1><p class="error" role="alert">${escapeHtml(message)}</p>`);
}
