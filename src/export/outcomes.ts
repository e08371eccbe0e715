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
  /**
   * Items a dry run plans to add, by `nameKey` of their Item Name, with their stand-in ids: a line or header
   * charge that posts to such a product finds its item in the plan as the real run finds it in QuickBooks.
   */
  readonly plannedItems = new Map<string, string>();
}
