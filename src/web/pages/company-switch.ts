import type { FastifyInstance } from 'fastify';
import { companyOfViewer, loadViewer } from '../auth/viewer.ts';
import { setCurrentCompanyOf } from '../auth/users.ts';
import { safeRedirectTarget } from '../safe-redirect.ts';
import { WebError } from '../errors.ts';
import type { WebDeps } from '../deps.ts';

/** The company switcher in the top bar: sets the user's current company (seed: "the Current User's Company"). */
export function registerCompanySwitch(app: FastifyInstance, deps: WebDeps): void {
  app.post<{ Body: Record<string, string | undefined> }>('/company', async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const id = Number(request.body.companyId);
    if (!Number.isInteger(id)) throw new WebError('INVALID_INPUT', 'Choose a company.', [{ field: 'companyId', message: 'expected a company id' }]);
    const company = companyOfViewer(viewer, id);
    await setCurrentCompanyOf(deps.db, viewer.userId, company.id);
    return reply.redirect(safeRedirectTarget(request.body.back), 303);
  });
}
