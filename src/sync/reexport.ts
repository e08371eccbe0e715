import type { Db } from '../store/db.ts';
import { findCompanyByCode } from '../store/erp/companies.ts';
import { findInvoiceByNo } from '../store/erp/invoices.ts';
import { clearTransferredForReexport } from '../store/sync/invoice-states.ts';
import { ReexportNotAllowedError, SyncCompanyNotFoundError } from './errors.ts';

/**
 * The explicit user action behind "Export again": an invoice voided or deleted in QuickBooks goes back to the export
 * queue (transferred cleared). Never called by the sync itself. Voided invoices keep their number in QBO, so the new
 * export meets a duplicate DocNumber unless the company allows duplicates or the voided one is deleted first.
 */
export async function reexportInvoice(db: Db, companyCode: string, invoiceNo: string): Promise<void> {
  const company = await findCompanyByCode(db.kysely, companyCode);
  if (!company) throw new SyncCompanyNotFoundError(companyCode);
  const invoice = await findInvoiceByNo(db.kysely, company.id, invoiceNo);
  if (!invoice) throw new ReexportNotAllowedError(invoiceNo, 'no such invoice');
  const cleared = await db.kysely.transaction().execute((trx) => clearTransferredForReexport(trx, invoice.id));
  if (!cleared) throw new ReexportNotAllowedError(invoiceNo, 'only an invoice voided or deleted in QuickBooks can be exported again');
}
