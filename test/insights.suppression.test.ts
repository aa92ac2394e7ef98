import fc from 'fast-check';
import { insights } from '../flows';

const table = (counts: number[][], partition = true): insights.RawTable => ({
  id: 't',
  title: 'T',
  rowHeader: 'Row',
  columns: counts[0].map((_, j) => `c${j}`),
  rows: counts.map((c, i) => ({ key: `r${i}`, label: `Row ${i}`, counts: c })),
  partition,
  chart: 'bar',
});
const cellsOf = (published: insights.PublishedTable, j = 0) => published.rows.map((r) => r.cells[j]);

describe('small-number suppression', () => {
  it('shows any count under 5 as "<5", zero included', () => {
    const published = insights.suppressTable(table([[0], [4], [5], [12]]));
    expect(cellsOf(published)).toEqual(['<5', '<5', 5, 12]);
    expect(published.totals).toEqual([21]);
  });

  it('withholds the next smallest count when only one is small, so the total cannot give it away', () => {
    const published = insights.suppressTable(table([[3], [40], [9], [12]]));
    expect(cellsOf(published)).toEqual(['<5', 40, '[c]', 12]);
    expect(published.totals).toEqual([64]);
  });

  it('applies the rule to each column of a multi-column table', () => {
    const published = insights.suppressTable(
      table([
        [2, 10],
        [10, 10],
        [20, 1],
      ]),
    );
    expect(cellsOf(published, 0)).toEqual(['<5', '[c]', 20]);
    expect(cellsOf(published, 1)).toEqual(['[c]', 10, '<5']);
  });

  it('hides a total under 5 and every count in it', () => {
    const published = insights.suppressTable(table([[1], [2]]));
    expect(cellsOf(published)).toEqual(['<5', '<5']);
    expect(published.totals).toEqual(['<5']);
  });

  it('needs no complementary cell where rows overlap and no total is shown (indicators)', () => {
    const published = insights.suppressTable(table([[3], [40], [9]], false));
    expect(cellsOf(published)).toEqual(['<5', 40, 9]);
    expect(published.totals).toBeUndefined();
  });

  it('holds for any table: shown counts are true and 5 or more, and no shown total leaves exactly one cell to work out', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(30), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }), (counts) => {
        const published = insights.suppressTable(table(counts));
        counts[0].forEach((_, j) => {
          const cells = cellsOf(published, j);
          cells.forEach((cell, i) => {
            if (typeof cell === 'number') expect(cell).toBe(counts[i][j]);
            if (typeof cell === 'number') expect(cell).toBeGreaterThanOrEqual(5);
            if (counts[i][j] < 5) expect(cell).toBe('<5');
          });
          const total = published.totals![j];
          const hidden = cells.filter((c) => typeof c !== 'number').length;
          if (typeof total === 'number') {
            expect(total).toBe(counts.reduce((sum, c) => sum + c[j], 0));
            expect(hidden === 1 && cells.length > 1).toBe(false);
          }
        });
      }),
      { numRuns: 500 },
    );
  });
});
