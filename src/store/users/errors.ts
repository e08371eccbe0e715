/** Expected failures of the user store, each with a literal code (docs/design.md rule 6). */
export class InvalidUserInputError extends Error {
  readonly code = 'USER_INPUT_INVALID' as const;
  constructor(message: string) {
    super(message);
  }
}

export class UnknownCompanyForUserError extends Error {
  readonly code = 'USER_COMPANY_NOT_ALLOWED' as const;
  constructor(readonly userId: number, readonly companyId: number) {
    super(`User ${userId} may not use company ${companyId}`);
  }
}
