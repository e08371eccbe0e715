/**
 * What the customer and product phases leave for the invoice phase: a record's QBO Id (real or, in a dry
 * run, the one it would get) or why it has none.
 */
export interface RecordOutcome {
  /** QBO Id; in a dry run `new` when it would be added. */
  qboId: string | null;
  problem?: string;
}

export const DRY_RUN_NEW_ID = 'new';

export class PhaseOutcomes {
  readonly customers = new Map<number, RecordOutcome>();
  readonly products = new Map<number, RecordOutcome>();
}
