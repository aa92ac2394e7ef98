// Builds each chart's place and the table beside it from the report. Only textContent and attributes:
// no HTML is built from data (labels come from the content pack, but the page must be safe whatever they say).
import type { WordValues } from '../../../flows/content/serviceWords';
import type { insightsClientWords } from '../../clientWords';
import type { Cell, Report, Table } from './report';

/** The pack's words the page carries for its script (server/clientWords.ts `insightsClientWords`). */
export type InsightsWords = (key: (typeof insightsClientWords)[number], values?: WordValues) => string;

const cellText = (cell: Cell) => (typeof cell === 'number' ? cell.toLocaleString('en-GB') : cell);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function row(header: string, cells: Cell[]): HTMLTableRowElement {
  const tr = el('tr');
  tr.append(el('th', header, { scope: 'row' }), ...cells.map((c) => el('td', cellText(c))));
  return tr;
}

/** The same figures as the chart, as a table with caption and scoped headers for screen-reader users. */
function figuresTable(table: Table, range: string, say: InsightsWords): HTMLTableElement {
  const head = el('thead');
  const headRow = el('tr');
  headRow.append(el('th', table.rowHeader, { scope: 'col' }), ...table.columns.map((c) => el('th', c, { scope: 'col' })));
  head.append(headRow);
  const body = el('tbody');
  body.append(...table.rows.map((r) => row(r.label, r.cells)));
  const result = el('table');
  result.append(el('caption', `${table.title}, ${range}`, { id: `caption-${table.id}` }), head, body);
  if (table.totals) {
    const foot = el('tfoot');
    foot.append(row(say('insights-total'), table.totals));
    result.append(foot);
  }
  return result;
}

function section(table: Table, range: string, say: InsightsWords): HTMLElement {
  const heading = `heading-${table.id}`;
  const canvas = el('canvas', undefined, { id: `chart-${table.id}`, 'data-table': table.id, role: 'img', 'aria-label': say('insights-chart-label', { title: table.title }) });
  const chart = el('div', undefined, { class: 'chart' });
  chart.append(canvas);
  const result = el('section', undefined, { class: 'pair', 'aria-labelledby': heading });
  // A table with many columns scrolls sideways inside its own box (WCAG 1.4.10 allows that for data
  // tables) so the page never does; the box takes keyboard focus so it can be scrolled without a mouse.
  const scroller = el('div', undefined, { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-labelledby': `caption-${table.id}` });
  scroller.append(figuresTable(table, range, say));
  result.append(el('h2', table.title, { id: heading }), chart, scroller);
  return result;
}

/** Replaces the container's content with a section (chart place, table) per table of the report. */
export function renderReport(report: Report, container: HTMLElement, say: InsightsWords): void {
  const range = `${report.from} to ${report.to}`;
  container.replaceChildren(...report.tables.map((table) => section(table, range, say)));
}
