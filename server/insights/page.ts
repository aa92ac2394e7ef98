import type { insights } from '../../flows';
import { html, SafeHtml } from '../referenceMash/html';

type Table = insights.PublishedTable;

const cellText = (cell: insights.Cell) => (typeof cell === 'number' ? cell.toLocaleString('en-GB') : cell);

/** A chart and, beside it, the same figures as a table (caption, scoped headers) for screen-reader users. */
function tableSection(table: Table, range: string): SafeHtml {
  const heading = `heading-${table.id}`;
  return html`<section class="pair" aria-labelledby="${heading}">
  <h2 id="${heading}">${table.title}</h2>
  <div class="chart"><canvas id="chart-${table.id}" data-table="${table.id}" role="img" aria-label="${`Chart: ${table.title}. The table beside it has the same figures.`}"></canvas></div>
  <table>
    <caption>${table.title}, ${range}</caption>
    <thead><tr><th scope="col">${table.rowHeader}</th>${table.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
    <tbody>${table.rows.map((row) => html`<tr><th scope="row">${row.label}</th>${row.cells.map((c) => html`<td>${cellText(c)}</td>`)}</tr>`)}</tbody>
    ${table.totals ? html`<tfoot><tr><th scope="row">Total</th>${table.totals.map((c) => html`<td>${cellText(c)}</td>`)}</tr></tfoot>` : ''}
  </table>
</section>`;
}

function filterForm(from: string, to: string, error?: string): SafeHtml {
  const query = new URLSearchParams({ from, to }).toString();
  return html`<form class="filter" method="get" action="/insights">
  <div><label for="from">From</label><input type="date" id="from" name="from" value="${from}" required${error ? html` aria-describedby="range-error"` : ''}></div>
  <div><label for="to">To</label><input type="date" id="to" name="to" value="${to}" required></div>
  <button type="submit">Show this range</button>
  ${error ? '' : html`<a class="export" href="/insights/export.csv?${query}" download>Download these figures (CSV)</a>`}
  ${error ? html`<p id="range-error" class="error" role="alert">${error}</p>` : ''}
</form>`;
}

function layout(title: string, body: SafeHtml): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html`${title}`}</title>
<link rel="stylesheet" href="/insights/assets/insights.css">
</head>
<body>
${body}
</body>
</html>`;
}

const intro = (report: { from: string; to: string }, rule: string) => html`<header>
  <h1>Partnership insight</h1>
  <p>Anonymised counts from the service's decision records, ${report.from} to ${report.to} (dates in UK time). No names, dates of birth or other identifiers are used.</p>
  <p class="rule">${rule}</p>
</header>`;

/** The insight page: filter, then each chart with its table; the figures go to the chart script as JSON data, not as code. */
export function insightsPage(report: insights.InsightsReport): string {
  const range = `${report.from} to ${report.to}`;
  // A JSON data block is never run; "<" is escaped so no text in it can close the element.
  const data = JSON.stringify(report).replace(/</g, '\\u003c');
  return layout(`Partnership insight, ${range}`, html`${intro(report, report.suppression.rule)}
<main>
${filterForm(report.from, report.to)}
${report.tables.map((table) => tableSection(table, range))}
</main>
<script type="application/json" id="insights-data">${new SafeHtml(data)}</script>
<script src="/insights/assets/insights.js"></script>`);
}

/** The page with the filter and what was wrong with it (400): no figures for a range that is not valid. */
export function insightsErrorPage(from: string, to: string, error: string, rule: string): string {
  return layout('Partnership insight: check the dates', html`${intro({ from, to }, rule)}
<main>${filterForm(from, to, error)}</main>`);
}
