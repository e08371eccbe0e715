import { AppError } from '../config/errors.ts';

/** Failures that stop an export before or while it runs (record failures are values in the summary). */

/** A run for the company is going (in this process, another one, or another app instance). */
export class ExportAlreadyRunningError extends AppError<'EXPORT_ALREADY_RUNNING'> {
  readonly code = 'EXPORT_ALREADY_RUNNING';
  readonly retryable = true;
  constructor(
    readonly companyCode: string,
    readonly runningSince: string | null,
    readonly runningBy: string | null,
  ) {
    const since = runningSince ? ` (started ${runningSince}${runningBy ? ` by ${runningBy}` : ''})` : '';
    super(`An export for ${companyCode} is already running${since}. Wait for it to finish; its progress is in the Process Log.`);
  }
}

export class CompanyNotFoundError extends AppError<'COMPANY_NOT_FOUND'> {
  readonly code = 'COMPANY_NOT_FOUND';
  readonly retryable = false;
  constructor(readonly company: string | number) {
    super(`There is no company ${String(company)}.`);
  }
}
