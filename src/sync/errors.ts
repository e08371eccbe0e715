import { AppError } from '../config/errors.ts';

/** Expected failures of the flow back (docs/design.md rule 6). A missing company is the export's CompanyNotFoundError code. */

export class SyncCompanyNotFoundError extends AppError<'COMPANY_NOT_FOUND'> {
  readonly code = 'COMPANY_NOT_FOUND';
  readonly retryable = false;
  constructor(readonly company: string) {
    super(`There is no company ${company}.`);
  }
}

/** A sweep of the company is going (here, in another process or another app instance). */
export class SyncAlreadyRunningError extends AppError<'SYNC_ALREADY_RUNNING'> {
  readonly code = 'SYNC_ALREADY_RUNNING';
  readonly retryable = true;
  constructor(readonly company: string) {
    super(`A QuickBooks sync of ${company} is already running; try again when it has finished.`);
  }
}

/** "Export again" is only for an invoice voided or deleted in QuickBooks. */
export class ReexportNotAllowedError extends AppError<'REEXPORT_NOT_ALLOWED'> {
  readonly code = 'REEXPORT_NOT_ALLOWED';
  readonly retryable = false;
  constructor(readonly invoiceNo: string, readonly reason: string) {
    super(`Invoice ${invoiceNo} cannot be exported again: ${reason}.`);
  }
}
