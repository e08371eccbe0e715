import type { CompanySettings } from '../../store/erp/company-settings.ts';
import { html, type SafeHtml } from '../render/html.ts';

/**
 * The Setup page's sales-tax fields (issue 15): the mode (`salesTax`) and the tax-code mapping (`taxCodes`),
 * edited as one "ERP code = QuickBooks tax code" per line.
 */
type Form = Record<string, string | undefined>;
type FieldErrors = Record<string, string>;

const modes = [
  { value: 'qbo', label: 'QuickBooks computes the tax', hint: 'US: lines are TAX or NON from the line\'s "taxable"; elsewhere each line gets its mapped tax code.' },
  { value: 'erp', label: "The ERP's tax amount is billed exactly", hint: "The invoice's taxAmount: the total-tax override for automated sales tax, spread over the lines' tax codes elsewhere." },
  { value: 'none', label: 'Send no tax information', hint: 'As before this setting existed.' },
] as const;

/** Parses the mapping text; a line that is not "code = name" is reported as the field's error. */
export function taxFieldsFromForm(form: Form, settings: Record<string, unknown>): FieldErrors {
  const errors: FieldErrors = {};
  if (form.salesTax) settings.salesTax = form.salesTax;
  const map: Record<string, string> = {};
  for (const [index, raw] of (form.taxCodes ?? '').split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const at = line.indexOf('=');
    const code = line.slice(0, Math.max(at, 0)).trim();
    const name = line.slice(at + 1).trim();
    if (at < 0 || code === '' || name === '') {
      errors.taxCodes ??= `line ${index + 1} "${line}": write one mapping per line as ERP code = QuickBooks tax code, e.g. S = 20.0% S`;
      continue;
    }
    map[code] = name;
  }
  if (Object.keys(map).length > 0) settings.taxCodes = map;
  return errors;
}

export function taxCodesText(taxCodes: CompanySettings['taxCodes'] | string): string {
  if (typeof taxCodes === 'string') return taxCodes;
  return Object.entries(taxCodes ?? {}).map(([code, name]) => `${code} = ${name}`).join('\n');
}

export function salesTaxFieldset(values: CompanySettings, taxCodes: string, errors: FieldErrors): SafeHtml {
  const mode = values.salesTax ?? 'qbo';
  const invalid = errors.taxCodes ? html` aria-invalid="true" aria-describedby="taxCodes-error"` : html``;
  return html`<fieldset><legend>Sales tax</legend>
        ${modes.map((m) => html`<label class="check"><input type="radio" name="salesTax" value="${m.value}"${mode === m.value ? html` checked` : html``}>
          <span>${m.label}<span class="hint">${m.hint}</span></span></label>`)}
        ${errors.salesTax ? html`<p class="error-text" id="salesTax-error">${errors.salesTax}</p>` : ''}
        <div><label for="taxCodes">Tax codes (books outside the US)<span class="hint">One per line: ERP tax code = QuickBooks tax code name, e.g. S = 20.0% S. A line whose code is not listed fails its invoice.</span></label>
          <textarea id="taxCodes" name="taxCodes" rows="4"${invalid}>${taxCodes}</textarea>
          ${errors.taxCodes ? html`<p class="error-text" id="taxCodes-error">${errors.taxCodes}</p>` : ''}</div>
      </fieldset>`;
}
