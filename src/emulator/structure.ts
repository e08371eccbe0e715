/**
 * Structural comparison for fixture replays: the same keys with the same JSON kinds, recursively;
 * values, ids and times aside; arrays compared by their first element. Extra keys in the actual
 * answer are allowed (newer minor versions add fields).
 */
function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function structuralDifferences(expected: unknown, actual: unknown, path = '$'): string[] {
  const ek = kind(expected);
  const ak = kind(actual);
  if (ek !== ak) return [`${path}: expected ${ek}, got ${ak}`];
  if (ek === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length === 0) return [];
    if (a.length === 0) return [`${path}: expected a non-empty array`];
    return structuralDifferences(e[0], a[0], `${path}[0]`);
  }
  if (ek === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    return Object.keys(e).flatMap((k) => (k in a ? structuralDifferences(e[k], a[k], `${path}.${k}`) : [`${path}.${k}: missing`]));
  }
  return [];
}
