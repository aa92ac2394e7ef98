// Draws a Chart.js chart on each canvas the report rendered. Suppressed cells ("<5", "[c]") are left out
// of the chart (a gap), never drawn as a number; the table beside each chart shows them.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { Report, Table } from './report';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

// High-contrast colours that stay apart for the common colour-vision deficiencies (Okabe–Ito).
const colours = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];

function draw(canvas: HTMLCanvasElement, table: Table): Chart {
  const datasets = table.columns.map((label, j) => ({
    label,
    data: table.rows.map((row) => {
      const cell = row.cells[j];
      return typeof cell === 'number' ? cell : null;
    }),
    backgroundColor: colours[j % colours.length],
    borderColor: colours[j % colours.length],
    spanGaps: false,
  }));
  return new Chart(canvas, {
    type: table.chart,
    data: { labels: table.rows.map((row) => row.label), datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: table.columns.length > 1 } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

/** Draws every chart; `body[data-charts-drawn]` says how many (the browser test waits for it). */
export function drawCharts(report: Report): void {
  const byId = new Map(report.tables.map((table) => [table.id, table]));
  let drawn = 0;
  for (const canvas of document.querySelectorAll<HTMLCanvasElement>('canvas[data-table]')) {
    const table = byId.get(canvas.dataset.table ?? '');
    if (table && draw(canvas, table)) drawn += 1;
  }
  document.body.dataset.chartsDrawn = String(drawn);
}
