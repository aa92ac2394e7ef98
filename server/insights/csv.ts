import type { insights } from '../../flows';

/**
 * A spreadsheet opens a cell starting with = + - @ (or a tab or carriage return) as a formula; a quote
 * in front keeps it text. Labels come from the pack, but an export must be safe whatever they say.
 */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (values: Array<string | number>) => `${values.map(cell).join(',')}\r\n`;

/** What the page shows, one count a line (table, row, column, count); suppressed cells stay "<5" or "[c]". */
export function insightsCsv(report: insights.InsightsReport): string {
  let out = line(['table', 'row', 'column', 'count', 'from', 'to']);
  for (const table of report.tables) {
    for (const row of table.rows) table.columns.forEach((column, j) => (out += line([table.title, row.label, column, row.cells[j], report.from, report.to])));
    table.totals?.forEach((total, j) => (out += line([table.title, 'Total', table.columns[j], total, report.from, report.to])));
  }
  return out;
}
