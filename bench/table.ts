/** One line of the result table: a measurement, its target, and whether the target is met. */
export interface Row {
  measure: string;
  value: string;
  target: string;
  /** undefined: informative row with no target. */
  pass?: boolean;
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export function formatTable(rows: Row[]): string {
  const cells = rows.map((r) => [r.measure, r.value, r.target, r.pass === undefined ? '' : r.pass ? 'pass' : 'MISS']);
  const head = ['Measure', 'Value', 'Target', 'Result'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
