import type { ServiceWordKey, ServiceWords } from '../../flows';
import { tabClientWords } from '../clientWords';
import { accessibilityFooter, escapeHtml, wordsElement } from '../webchat';

const columns: ServiceWordKey[] = [
  'tab-column-reference',
  'tab-column-mash-reference',
  'tab-column-filed',
  'tab-column-channel',
  'tab-column-status',
  'tab-column-decision',
  'tab-column-latest',
];

/**
 * The "My referrals" tab: a static shell (no personal data in the HTML) that the bundled script fills
 * from `GET /api/my-referrals`, with the pack's words for it. Status lines are live regions so a screen
 * reader hears "loading" and "signed in" changes; the table has a caption and column headers.
 */
export function tabPageHtml(words: ServiceWords): string {
  const say = (key: ServiceWordKey) => escapeHtml(words(key));
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${say('tab-title')}</title>
<link rel="stylesheet" href="/tabs/tab.css">
<script src="/tabs/tab.js" defer></script>
</head>
<body class="theme-default">
<main>
<h1>${say('tab-title')}</h1>
<p class="emergency" role="note">${say('page-not-for-emergencies')}</p>
<p id="status" role="status" aria-live="polite">${say('tab-loading')}</p>
<section id="notifications" aria-labelledby="notifications-heading" hidden>
<h2 id="notifications-heading">${say('tab-notifications-heading')}</h2>
<ul id="notification-list"></ul>
</section>
<section id="questions" aria-labelledby="questions-heading" hidden>
<h2 id="questions-heading">${say('tab-questions-heading')} <span id="questions-badge" class="badge" hidden></span></h2>
<ul id="question-list"></ul>
</section>
<section id="drafts" aria-labelledby="drafts-heading" hidden>
<h2 id="drafts-heading">${say('tab-drafts-heading')}</h2>
<ul id="draft-list"></ul>
</section>
<div id="list" hidden>
<table>
<caption>${say('tab-caption')}</caption>
<thead><tr>${columns.map((key) => `<th scope="col">${say(key)}</th>`).join('')}</tr></thead>
<tbody id="rows"></tbody>
</table>
</div>
<p id="empty" hidden>${say('tab-empty')}</p>
<p id="signin" hidden><a href="/signin?returnTo=%2Ftabs%2Freferrals">${say('tab-sign-in')}</a></p>
${wordsElement(words, tabClientWords)}
</main>
${accessibilityFooter(words)}
</body>
</html>`;
}

/** Plain CSS; the body class follows the Teams theme (default, dark, contrast). */
export const tabCss = `
body { font-family: "Segoe UI", system-ui, sans-serif; margin: 0; color: #0b0c0c; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.4rem; }
.emergency { background: #fff4e5; border-left: 6px solid #b54708; padding: 0.5rem 1rem; font-weight: 600; color: #0b0c0c; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 0.5rem 0; }
th, td { border: 1px solid #b1b4b6; padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f3f2f1; }
.notice { border-left: 6px solid #1d3557; padding: 0.25rem 0.75rem; margin-bottom: 0.5rem; list-style: none; }
#notification-list { padding: 0; }
.parked { color: #b00020; font-weight: 700; }
a { color: #1d3557; }
.badge { display: inline-block; background: #b00020; color: #fff; border-radius: 1rem; padding: 0 0.6rem; font-size: 0.9rem; }
.badge[hidden] { display: none; }
#question-list, #draft-list { padding: 0; }
.question { list-style: none; border-left: 6px solid #b54708; padding: 0.25rem 0.75rem; margin-bottom: 1rem; }
.question.answered { border-left-color: #00703c; }
.question blockquote { margin: 0.5rem 0; font-weight: 600; }
.answer label { display: block; font-weight: 600; }
.answer textarea { width: 100%; max-width: 40rem; box-sizing: border-box; font: inherit; }
.answer button { margin-top: 0.5rem; font: inherit; padding: 0.3rem 1rem; }
.sent { color: #00703c; font-weight: 700; }
/* The kept details' link sits under the status, on its own line, with a finger-sized target. */
a.kept { display: block; margin-top: 0.4rem; padding: 0.2rem 0; overflow-wrap: anywhere; }
footer { padding: 0.5rem 1rem; }
/* Phone size (issue 20 item 7): each referral is a card of labelled lines, never a table wider than the screen. */
@media (max-width: 40rem) {
  main { padding: 0.5rem; }
  h1 { font-size: 1.2rem; }
  table, thead, tbody, tr, th, td, caption { display: block; width: 100%; box-sizing: border-box; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border: 1px solid #b1b4b6; margin-bottom: 0.75rem; }
  th, td { border: 0; border-bottom: 1px solid #e0e0e0; overflow-wrap: anywhere; }
  th[data-label]::before, td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
}
:focus-visible { outline: 3px solid #ffdd00; outline-offset: 2px; }
body.theme-dark { background: #1f1f1f; color: #fff; }
body.theme-dark th { background: #2d2c2c; }
body.theme-dark a { color: #9cc3ff; }
body.theme-dark .notice { border-left: 6px solid #1d3557; padding: 0.25rem 0.75rem; margin-bottom: 0.5rem; list-style: none; }
#notification-list { padding: 0; }
.parked { color: #ff8a80; }
body.theme-contrast { background: #000; color: #fff; }
body.theme-contrast th, body.theme-contrast td { border-color: #fff; }
body.theme-contrast th { background: #000; }
body.theme-contrast a { color: #ffff00; }
body.theme-contrast .notice { border-left: 6px solid #1d3557; padding: 0.25rem 0.75rem; margin-bottom: 0.5rem; list-style: none; }
#notification-list { padding: 0; }
.parked { color: #ffff00; }
`;
