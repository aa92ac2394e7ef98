import type { Cell, PublishedTable, RawTable } from './types';

export const suppressionThreshold = 5;

export const suppressionRule =
  'Any count from 0 to 4 is shown as "<5". In a table whose rows add up to a shown total, when exactly one ' +
  'count in a column is "<5", the next smallest count in that column is withheld too and shown as "[c]", ' +
  'so the total cannot be used to work out the small count. A total under 5 is shown as "<5".';

/** Primary and secondary suppression of one column of a partition (or primary only for overlapping rows). */
function suppressColumn(counts: number[], partition: boolean): { cells: Cell[]; total?: Cell } {
  const cells: Cell[] = counts.map((n) => (n < suppressionThreshold ? '<5' : n));
  if (!partition) return { cells };
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total < suppressionThreshold) return { cells: counts.map(() => '<5'), total: '<5' };
  const hidden = cells.filter((cell) => cell === '<5').length;
  if (hidden === 1 && counts.length > 1) {
    // The next smallest shown count: with two cells withheld the total no longer gives either one.
    let smallest = -1;
    cells.forEach((cell, i) => {
      if (typeof cell === 'number' && (smallest < 0 || counts[i] < counts[smallest])) smallest = i;
    });
    if (smallest >= 0) cells[smallest] = '[c]';
  }
  return { cells, total };
}

/** What a table may show: small counts suppressed, and the counts that would give them away withheld. */
export function suppressTable(table: RawTable): PublishedTable {
  const columns = table.columns.map((_, j) =>
    suppressColumn(
      table.rows.map((row) => row.counts[j]),
      table.partition,
    ),
  );
  return {
    id: table.id,
    title: table.title,
    rowHeader: table.rowHeader,
    columns: table.columns,
    rows: table.rows.map((row, i) => ({ key: row.key, label: row.label, cells: columns.map((column) => column.cells[i]) })),
    ...(table.partition ? { totals: columns.map((column) => column.total as Cell) } : {}),
    chart: table.chart,
  };
}
