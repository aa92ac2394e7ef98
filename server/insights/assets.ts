/**
 * The page's stylesheet, served from our origin (the CSP allows no inline style). Plain and high
 * contrast; a chart and its table sit side by side on a wide screen and stack on a narrow one (a tab).
 */
export const insightsCss = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #0b0c0c; background: #fff; line-height: 1.4; }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
h1 { font-size: 1.8rem; margin: 16px 0 8px; }
h2 { font-size: 1.2rem; margin: 0 0 8px; grid-column: 1 / -1; }
.rule { font-size: 0.9rem; color: #383f43; }
.filter { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 12px; padding: 12px; background: #f3f2f1; margin: 12px 0 24px; }
.filter label { display: block; font-weight: 600; }
.filter input { font: inherit; padding: 4px; border: 2px solid #0b0c0c; }
.filter button { font: inherit; padding: 6px 14px; background: #00703c; color: #fff; border: 0; cursor: pointer; }
.filter a { color: #1d70b8; }
.error { color: #d4351c; font-weight: 600; width: 100%; margin: 0; }
:focus-visible { outline: 3px solid #fd0; outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c; }
.pair { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; margin-bottom: 32px; align-items: start; }
.chart { position: relative; min-height: 260px; min-width: 0; }
.table-scroll { overflow-x: auto; min-width: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 4px 6px; text-align: left; }
td { text-align: right; font-variant-numeric: tabular-nums; }
@media (max-width: 800px) { .pair { grid-template-columns: minmax(0, 1fr); } }
`;
