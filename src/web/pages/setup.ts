import type { FastifyInstance } from 'fastify';
import { companySettingsOf, setQbPrimaryCompany, updateCompanySettings } from '../../store/erp/companies.ts';
import { companySettingsSchema, type CompanySettings } from '../../store/erp/company-settings.ts';
import type { Company } from '../../store/erp/tables.ts';
import { companyOfViewer, flashNext, loadViewer, requireCompany, type Viewer } from '../auth/viewer.ts';
import type { WebDeps } from '../deps.ts';
import { html, type SafeHtml } from '../render/html.ts';
import { csrfField } from '../render/layout.ts';
import { sendPage } from '../render/respond.ts';
import { salesTaxFieldset, taxCodesText, taxFieldsFromForm } from './setup-tax.ts';

export const SETUP_PATH = '/setup';

type Form = Record<string, string | undefined>;
type FieldErrors = Record<string, string>;

const textFields = [
  { name: 'freightItem', label: 'Freight item', hint: 'QuickBooks item that carries the invoice freight as a line. Empty: freight is not passed (as the seed).' },
  { name: 'handlingItem', label: 'Handling item', hint: 'QuickBooks item for the handling charge. Empty: not passed.' },
  { name: 'packagingItem', label: 'Packaging item', hint: 'QuickBooks item for the packaging charge. Empty: not passed.' },
  { name: 'incomeAccount', label: 'Income account for new items', hint: 'QuickBooks account name or Id. Empty: the first income account of the company.' },
  { name: 'expenseAccount', label: 'Expense account for new items', hint: 'Empty: the first cost-of-goods-sold or expense account.' },
  { name: 'assetAccount', label: 'Asset account for new inventory items', hint: 'Empty: the first inventory asset account.' },
  { name: 'exportSchedule', label: 'Export schedule', hint: 'A cron expression, e.g. "0 2 * * *" for every night at 02:00. Empty: exports run only when started.' },
  { name: 'timeZone', label: 'Time zone', hint: 'IANA name such as "America/Chicago", for the schedule. Empty: UTC.' },
] as const;

/** The form as the settings object (empty text = not set, unchecked box = false); validation is the schema's. */
function settingsFromForm(form: Form): Record<string, unknown> {
  const settings: Record<string, unknown> = {
    passOrderDiscount: form.passOrderDiscount === 'on',
    abortOnError: form.abortOnError === 'on',
    nameCollisionPolicy: form.nameCollisionPolicy,
  };
  for (const f of textFields) {
    const value = (form[f.name] ?? '').trim();
    if (value !== '') settings[f.name] = value;
  }
  return settings;
}

function fieldError(name: string, errors: FieldErrors): SafeHtml {
  return errors[name] ? html`<p class="error-text" id="${name}-error">${errors[name]}</p>` : html``;
}

function invalid(name: string, errors: FieldErrors): SafeHtml {
  return errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : html``;
}

type FormValues = CompanySettings & { qbPrimaryCompany: boolean; taxCodesText?: string };

function setupForm(viewer: Viewer, company: Company, values: FormValues, errors: FieldErrors): SafeHtml {
  const checked = (on: boolean | undefined) => (on ? html` checked` : html``);
  const policy = values.nameCollisionPolicy ?? 'report';
  return html`<h1>Setup</h1>
    <p class="notice">Export settings of <strong>${company.name} (${company.code})</strong>.</p>
    ${Object.keys(errors).length ? html`<p class="flash error" role="alert">Some settings need a correction; see the fields marked below.</p>` : ''}
    <form class="stacked card" method="post" action="${SETUP_PATH}" novalidate>
      ${csrfField(viewer.csrfToken)}
      <input type="hidden" name="companyId" value="${company.id}">
      <fieldset><legend>Financial interface</legend>
        <label class="check"><input type="checkbox" name="qbPrimaryCompany"${checked(values.qbPrimaryCompany)}>
          <span>QuickBooks Primary Company<span class="hint">When set, customers are matched by their Financial System Customer ID; otherwise by their Secondary Customer ID.</span></span></label>
      </fieldset>
      <fieldset><legend>Header charges</legend>
        ${textFields.slice(0, 3).map((f) => html`<div><label for="${f.name}">${f.label}<span class="hint">${f.hint}</span></label>
          <input type="text" id="${f.name}" name="${f.name}" value="${values[f.name] ?? ''}"${invalid(f.name, errors)}>${fieldError(f.name, errors)}</div>`)}
        <label class="check"><input type="checkbox" name="passOrderDiscount"${checked(values.passOrderDiscount)}>
          <span>Pass order discount<span class="hint">As a discount line on the QuickBooks invoice.</span></span></label>
      </fieldset>
      <fieldset><legend>When a record fails</legend>
        <label class="check"><input type="checkbox" name="abortOnError"${checked(values.abortOnError)}>
          <span>Abort export on error<span class="hint">Stop at the first failed record instead of going on with the others.</span></span></label>
      </fieldset>
      <fieldset${invalid('nameCollisionPolicy', errors)}><legend>Customer name already used by a vendor or employee</legend>
        <label class="check"><input type="radio" name="nameCollisionPolicy" value="report"${checked(policy === 'report')}>
          <span>Report the customer for me to fix</span></label>
        <label class="check"><input type="radio" name="nameCollisionPolicy" value="suffix"${checked(policy === 'suffix')}>
          <span>Add the customer number as a suffix, e.g. "Jane Smith (C-100)"</span></label>
        ${fieldError('nameCollisionPolicy', errors)}
      </fieldset>
      ${salesTaxFieldset(values, values.taxCodesText ?? taxCodesText(values.taxCodes), errors)}
      <fieldset><legend>Accounts for new items</legend>
        ${textFields.slice(3, 6).map((f) => html`<div><label for="${f.name}">${f.label}<span class="hint">${f.hint}</span></label>
          <input type="text" id="${f.name}" name="${f.name}" value="${values[f.name] ?? ''}"${invalid(f.name, errors)}>${fieldError(f.name, errors)}</div>`)}
      </fieldset>
      <fieldset><legend>Scheduled export</legend>
        ${textFields.slice(6).map((f) => html`<div><label for="${f.name}">${f.label}<span class="hint">${f.hint}</span></label>
          <input type="text" id="${f.name}" name="${f.name}" value="${values[f.name] ?? ''}"${invalid(f.name, errors)}>${fieldError(f.name, errors)}</div>`)}
      </fieldset>
      <div><button type="submit" class="button">Save</button></div>
    </form>`;
}

export function registerSetup(app: FastifyInstance, deps: WebDeps): void {
  app.get<{ Querystring: { company?: string } }>(SETUP_PATH, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const company = request.query.company ? companyOfViewer(viewer, Number(request.query.company)) : requireCompany(viewer);
    const values = { ...companySettingsOf(company), qbPrimaryCompany: company.qb_primary_company === 1 };
    return sendPage(reply, viewer, { title: 'Setup', path: SETUP_PATH, body: setupForm(viewer, company, values, {}) });
  });

  app.post<{ Body: Form }>(SETUP_PATH, async (request, reply) => {
    const viewer = await loadViewer(request, deps.db);
    const company = companyOfViewer(viewer, Number(request.body.companyId));
    const raw = settingsFromForm(request.body);
    const taxErrors = taxFieldsFromForm(request.body, raw);
    const qbPrimaryCompany = request.body.qbPrimaryCompany === 'on';
    const parsed = companySettingsSchema.safeParse(raw);
    if (!parsed.success || Object.keys(taxErrors).length > 0) {
      const errors: FieldErrors = { ...taxErrors };
      for (const issue of parsed.success ? [] : parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
      const values = { ...(raw as CompanySettings), qbPrimaryCompany, taxCodesText: request.body.taxCodes ?? '' };
      return sendPage(reply, viewer, { title: 'Setup', path: SETUP_PATH, status: 422, body: setupForm(viewer, company, values, errors) });
    }
    await deps.db.kysely.transaction().execute(async (trx) => {
      await updateCompanySettings(trx, company.id, parsed.data);
      await setQbPrimaryCompany(trx, company.id, qbPrimaryCompany);
    });
    await flashNext(deps.db, viewer.sessionIdHash, { kind: 'success', text: `Setup of ${company.code} saved.` });
    return reply.redirect(`${SETUP_PATH}?company=${company.id}`, 303);
  });
}
