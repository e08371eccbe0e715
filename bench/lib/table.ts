/** One row of a results table: what was measured, the figure, the target and whether it was met. */
export interface TableRow {
  measure: string;
  figure: string;
  target?: string | undefined;
  /** undefined when the row has no target (context figures such as the naive client's rate). */
  met?: boolean | undefined;
}

function verdict(met: boolean | undefined): string {
  if (met === undefined) return '';
  return met ? 'yes' : 'NO';
}

/** A plain-text table for the terminal (monospace), columns padded to their widest cell. */
export function renderTable(title: string, rows: readonly TableRow[]): string {
  const header = ['Measure', 'Figure', 'Target', 'Met'];
  const cells = rows.map((r) => [r.measure, r.figure, r.target ?? '', verdict(r.met)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) => c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [title, line(header), rule, ...cells.map(line)].join('\n');
}

/** The same table as GitHub Markdown, for the README. */
export function renderMarkdownTable(rows: readonly TableRow[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| Measure | Figure | Target | Met |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${esc(r.measure)} | ${esc(r.figure)} | ${esc(r.target ?? '')} | ${verdict(r.met)} |`),
  ].join('\n');
}

export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatFixed(n: number, digits: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
