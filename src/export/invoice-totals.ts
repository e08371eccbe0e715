import { Big } from 'big.js';
import type { Invoice } from '../qbo/entities.ts';
import type { TotalCheck } from './invoice-tax.ts';
import type { RunContext } from './run-context.ts';

/**
 * After a create (or when adopting an invoice found in QuickBooks): does QuickBooks' invoice hold what the
 * company's sales-tax mode promises? `erp`: TotalAmt = lines + the ERP's taxAmount to the cent. `qbo`: the lines
 * match (TotalAmt − TotalTax), and QuickBooks' tax is reported. `none` (or no check): TotalAmt = lines.
 */
const money = (v: string | undefined): Big | undefined => (v === undefined ? undefined : new Big(v));

/** The total a found invoice is compared with for adoption: without QuickBooks' own tax in `qbo` mode. */
export function adoptionView(found: Invoice, check: TotalCheck | undefined): Invoice {
  if (check?.mode !== 'qbo' || found.TotalAmt === undefined) return found;
  const tax = money(found.TxnTaxDetail?.TotalTax) ?? new Big(0);
  return { ...found, TotalAmt: new Big(found.TotalAmt).minus(tax).toFixed() };
}

/** The total expected from QuickBooks before its own tax: lines, plus the ERP's tax in `erp` mode. */
export function expectedTotalOf(check: TotalCheck): string {
  return check.erpTax === null ? check.linesTotal : new Big(check.linesTotal).plus(check.erpTax).toFixed(2);
}

export type TotalVerdict = { ok: true; message: string } | { ok: false; message: string };

export function checkCreatedTotals(created: Invoice, expectedTotal: string, check: TotalCheck | undefined): TotalVerdict {
  const total = money(created.TotalAmt);
  const tax = money(created.TxnTaxDetail?.TotalTax) ?? new Big(0);
  // Currencies are named only in multi-currency books (where QuickBooks answers an ExchangeRate).
  const multi = created.ExchangeRate !== undefined && check !== undefined;
  const currency = multi ? ` ${check.currency}` : '';
  const home = multi && created.HomeTotalAmt !== undefined ? `; home-currency total ${new Big(created.HomeTotalAmt).toFixed(2)}` : '';
  if (total === undefined) return { ok: false, message: `QuickBooks answered without a total; the invoice was created (Id ${created.Id}) and marked transferred: check it in QuickBooks` };
  if (check?.mode === 'qbo') {
    const lines = total.minus(tax);
    if (lines.eq(new Big(check.linesTotal))) {
      return { ok: true, message: `created in QuickBooks (Id ${created.Id}, total${currency} ${total.toFixed(2)} = lines ${lines.toFixed(2)} + tax ${tax.toFixed(2)} computed by QuickBooks${home})` };
    }
    return { ok: false, message: `QuickBooks has lines of ${lines.toFixed(2)} (total ${total.toFixed(2)} with its tax of ${tax.toFixed(2)}), but the ERP lines come to ${check.linesTotal}; the invoice was created (Id ${created.Id}) and marked transferred: check its lines and discount in QuickBooks` };
  }
  if (total.eq(new Big(expectedTotal))) {
    const taxNote = check?.mode === 'erp' ? ` = lines ${check.linesTotal} + the ERP's tax ${check.erpTax ?? '0.00'}` : '';
    return { ok: true, message: `created in QuickBooks (Id ${created.Id}, total${currency} ${expectedTotal}${taxNote}${home})` };
  }
  const what = check?.mode === 'erp' ? `lines ${check.linesTotal} + the ERP's tax ${check.erpTax ?? '0.00'} = ${expectedTotal}` : `the ERP total is ${expectedTotal}`;
  return { ok: false, message: `QuickBooks computed a total of ${total.toFixed(2)} (tax ${tax.toFixed(2)}), but ${what}; the invoice was created (Id ${created.Id}) and marked transferred: check its tax and discount in QuickBooks` };
}

/**
 * Keeps what QuickBooks booked with the ERP invoice: the home-currency total (HomeTotalAmt of a multi-currency
 * company) and QuickBooks' total tax. Written after the transfer commit; nothing when there is nothing to keep.
 */
export async function keepQboAmounts(rc: RunContext, created: ReadonlyArray<{ invoiceId: number; entity: Invoice }>): Promise<void> {
  const rows = created
    .map(({ invoiceId, entity }) => ({ invoiceId, home: entity.HomeTotalAmt ?? null, tax: entity.TxnTaxDetail?.TotalTax ?? null }))
    .filter((r) => r.home !== null || (r.tax !== null && !new Big(r.tax).eq(0)));
  if (rows.length === 0) return;
  await rc.db.kysely.transaction().execute(async (trx) => {
    for (const r of rows) {
      await trx.updateTable('sales_invoices').set({
        qbo_home_total: r.home === null ? null : new Big(r.home).toFixed(2),
        qbo_total_tax: r.tax === null ? null : new Big(r.tax).toFixed(2),
      }).where('id', '=', r.invoiceId).execute();
    }
  });
}
