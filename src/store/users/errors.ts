import { AppError } from '../../config/errors.ts';

/** Expected failures of the user store, each with a literal code (docs/design.md rule 6). */
export class InvalidUserInputError extends AppError<'USER_INPUT_INVALID'> {
  readonly code = 'USER_INPUT_INVALID';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
  }
}

export class UnknownCompanyForUserError extends AppError<'USER_COMPANY_NOT_ALLOWED'> {
  readonly code = 'USER_COMPANY_NOT_ALLOWED';
  readonly retryable = false;
  constructor(readonly userId: number, readonly companyId: number) {
    super(`User ${userId} may not use company ${companyId}`);
  }
}
