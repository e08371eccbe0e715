/**
 * Names as QuickBooks takes and compares them (docs/qbo-behaviour.md §6.2, §6.3): DisplayName ≤ 500 characters,
 * Item Name ≤ 100, neither may hold `:` (QBO's parent:child separator), a tab or a newline; uniqueness is
 * checked without regard to case, so matching is case-insensitive too.
 */
export const MAX_DISPLAY_NAME = 500;
export const MAX_ITEM_NAME = 100;

export type NameKind = 'customer' | 'product';

/** Why QBO would reject the name, in words the user can act on; null when it is acceptable. */
export function nameProblem(name: string, kind: NameKind): string | null {
  const what = kind === 'customer' ? 'customer name' : 'product number (the QuickBooks product name)';
  const max = kind === 'customer' ? MAX_DISPLAY_NAME : MAX_ITEM_NAME;
  if (name.trim().length === 0) return `the ${what} is empty; enter one`;
  if (name.includes(':')) return `the ${what} "${name}" contains ":", which QuickBooks does not allow in names; remove it`;
  if (/[\t\r\n]/.test(name)) return `the ${what} contains a tab or line break, which QuickBooks does not allow; remove it`;
  if (name.length > max) return `the ${what} is ${name.length} characters long; QuickBooks allows at most ${max}; shorten it`;
  return null;
}

/** The key two names are compared by: QBO treats "ACME inc" and "Acme Inc" as the same name. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

/** The DisplayName used when the customer's own name belongs to a QBO vendor or employee: "Name (C-100)". */
export function suffixedName(name: string, customerNo: string): string {
  const suffix = ` (${customerNo})`;
  return name.slice(0, MAX_DISPLAY_NAME - suffix.length) + suffix;
}
