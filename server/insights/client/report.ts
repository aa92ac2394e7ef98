// The report as /api/insights sends it (docs/insights.openapi.yaml): only what the page draws.

/** A count, or a suppressed cell: "<5" (0 to 4) or "[c]" (withheld so a total cannot reveal a small count). */
export type Cell = number | '<5' | '[c]';

export interface Table {
  id: string;
  title: string;
  rowHeader: string;
  columns: string[];
  rows: Array<{ key: string; label: string; cells: Cell[] }>;
  totals?: Cell[];
  chart: 'bar' | 'line';
}

export interface Report {
  from: string;
  to: string;
  tables: Table[];
}
