import type { ServiceWords } from '../../flows';
import { insightsClientWords } from '../clientWords';
import { escapeHtml, html, SafeHtml } from '../http';
import { accessibilityFooter, wordsElement } from '../webchat';

/**
 * The date filter and the CSV link. The link works as a plain download with the session cookie; in Teams
 * the page script fetches it with the SSO bearer instead (a framed page gets no SameSite=Strict cookie).
 */
function filterForm(words: ServiceWords, from: string, to: string, error?: string): SafeHtml {
  const query = new URLSearchParams({ from, to }).toString();
  return html`<form class="filter" method="get" action="/insights">
  <div><label for="from">${words('insights-from')}</label><input type="date" id="from" name="from" value="${from}" required${error ? html` aria-describedby="range-error"` : ''}></div>
  <div><label for="to">${words('insights-to')}</label><input type="date" id="to" name="to" value="${to}" required></div>
  <button type="submit">${words('insights-show')}</button>
  ${error ? '' : html`<a class="export" id="export" href="/insights/export.csv?${query}" download>${words('insights-download')}</a>`}
  ${error ? html`<p id="range-error" class="error" role="alert">${error}</p>` : ''}
</form>`;
}

function layout(words: ServiceWords, title: string, body: SafeHtml, script = false): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/insights/assets/insights.css">
${script ? '<script src="/insights/assets/insights.js" defer></script>' : ''}
</head>
<body>
${body.value}
${accessibilityFooter(words)}
</body>
</html>`;
}

const intro = (words: ServiceWords, from: string, to: string, rule: string) => html`<header>
  <h1>${words('insights-heading')}</h1>
  <p>${words('insights-intro', { from, to })}</p>
  <p class="rule">${rule}</p>
</header>`;

/**
 * The insight page: a shell with the filter and no figures. Its script fetches the report from
 * `/api/insights` (the session cookie in a browser, the Teams SSO token as a bearer in a Teams tab) and
 * draws each chart beside its table. So the page itself can be served to a framed request that carries
 * no cookie: nothing in it needs the role.
 */
export function insightsPage(words: ServiceWords, from: string, to: string, rule: string): string {
  return layout(
    words,
    words('insights-title', { from, to }),
    html`${intro(words, from, to, rule)}
<main>
${filterForm(words, from, to)}
<p id="status" role="status" aria-live="polite">${words('insights-loading')}</p>
<p id="open-in-browser" hidden><a href="/insights?${new URLSearchParams({ from, to }).toString()}" target="_blank" rel="noopener">${words('insights-open-in-browser')}</a></p>
<div id="report"></div>
${new SafeHtml(wordsElement(words, insightsClientWords))}
</main>`,
    true,
  );
}

/** The page with the filter and what was wrong with it (400): no figures for a range that is not valid. */
export function insightsErrorPage(words: ServiceWords, from: string, to: string, error: string, rule: string): string {
  return layout(
    words,
    words('insights-error-title'),
    html`${intro(words, from, to, rule)}
<main>${filterForm(words, from, to, error)}</main>`,
  );
}
