import type { FastifyRequest } from 'fastify';
import type { Db } from '../../store/db.ts';
import type { Company } from '../../store/erp/tables.ts';
import { setFlash } from '../../store/web/sessions.ts';
import { WebError } from '../errors.ts';
import type { LayoutViewer } from '../render/layout.ts';
import { requireSession } from './session.ts';
import { companiesOfUser, findUserById } from './users.ts';

export type Flash = { readonly kind: 'info' | 'success' | 'error'; readonly text: string };

/** The signed-in user as a page sees them: their companies, the current one, the CSRF token, a flash. */
export interface Viewer extends LayoutViewer {
  readonly userId: number;
  readonly sessionIdHash: string;
  readonly companies: readonly Company[];
  /** The user's current company (seed: "The Current User's Company"); null when they have none. */
  readonly company: Company | null;
  readonly flash: Flash | null;
}

/** `consumeFlash: false` for requests that render no page (event streams), so the message waits for a page. */
export async function loadViewer(request: FastifyRequest, db: Db, options: { consumeFlash?: boolean } = {}): Promise<Viewer> {
  const session = requireSession(request);
  const user = await findUserById(db, session.userId);
  if (!user) throw new WebError('NOT_SIGNED_IN', 'Your account no longer exists.');
  const companies = await companiesOfUser(db, user.id);
  const company = companies.find((c) => c.id === user.current_company_id) ?? companies[0] ?? null;
  let flash: Flash | null = null;
  if (session.flash && options.consumeFlash !== false) {
    flash = parseFlash(session.flash);
    await setFlash(db.kysely, session.idHash, null);
  }
  return {
    userId: user.id, email: user.email, sessionIdHash: session.idHash, csrfToken: session.csrfToken,
    companies, company, currentCompanyId: company?.id ?? null, flash,
  };
}

/** The company a request names, if the viewer may use it; another company's id is refused. */
export function companyOfViewer(viewer: Pick<Viewer, 'companies'>, companyId: number): Company {
  const company = viewer.companies.find((c) => c.id === companyId);
  if (!company) throw new WebError('FORBIDDEN', 'You do not have access to that company.');
  return company;
}

export function requireCompany(viewer: Viewer): Company {
  if (!viewer.company) throw new WebError('FORBIDDEN', 'Your account has no company yet. Ask an administrator to run `qbo-export users add EMAIL --company CODE`.');
  return viewer.company;
}

export async function flashNext(db: Db, sessionIdHash: string, flash: Flash): Promise<void> {
  await setFlash(db.kysely, sessionIdHash, JSON.stringify(flash));
}

function parseFlash(text: string): Flash | null {
  try {
    const value = JSON.parse(text) as Partial<Flash>;
    if (typeof value.text === 'string' && (value.kind === 'info' || value.kind === 'success' || value.kind === 'error')) {
      return { kind: value.kind, text: value.text };
    }
  } catch {
    // A plain-text flash (written by another part of the app) is shown as information.
  }
  return { kind: 'info', text };
}
