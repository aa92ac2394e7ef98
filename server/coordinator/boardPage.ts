import type { Handoff } from '../../integrations';
import { html, SafeHtml, timeOf } from '../referenceMash/html';

export type BoardItem = Handoff & { overdue: boolean };

const styles = `
  body { font-family: system-ui, "Segoe UI", sans-serif; margin: 0; color: #0b0c0c; }
  header { background: #1d3557; color: #fff; padding: 0.75rem 1rem; }
  header h1 { margin: 0; font-size: 1.25rem; }
  main { padding: 1rem; max-width: 70rem; }
  .notice { border-left: 6px solid #1d70b8; background: #f3f6fa; padding: 0.5rem 1rem; }
  .emergency { background: #fff4e5; border-left: 6px solid #b54708; padding: 0.5rem 1rem; font-weight: 600; margin: 0; }
  article { border: 2px solid #b1b4b6; border-radius: 4px; padding: 0.75rem 1rem; margin: 1rem 0; }
  article.overdue { border-color: #b00020; }
  .flag { color: #b00020; font-weight: 700; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  .summary { white-space: pre-wrap; }
  form { display: inline-block; margin: 0.5rem 1rem 0 0; vertical-align: top; }
  label { display: block; font-weight: 600; }
  textarea { width: 28rem; max-width: 100%; font-size: 1rem; }
  button { font-size: 1rem; padding: 0.4rem 0.9rem; margin-top: 0.3rem; }
  :focus-visible { outline: 3px solid #ffdd00; outline-offset: 2px; }
`;

function exchange(item: BoardItem): SafeHtml | string {
  if (item.messages.length === 0) return '';
  return html`<h3>Questions and answers</h3><ol>${item.messages.map((m) => html`<li>${m.from === 'coordinator' ? `Coordinator${m.by ? ` (${m.by})` : ''} asked` : 'Referrer answered'} at ${timeOf(m.at)}: ${m.text}</li>`)}</ol>`;
}

function actions(item: BoardItem): SafeHtml | string {
  if (item.status === 'closed') return '';
  const base = `/coordinator/handoffs/${encodeURIComponent(item.handoffId)}`;
  const questionId = `question-${item.handoffId}`;
  return html`
  ${item.status === 'open' ? html`<form method="post" action="${base}/claim"><button type="submit">Claim ${item.handoffId}</button></form>` : ''}
  <form method="post" action="${base}/ask"><label for="${questionId}">Question for the referrer</label>
    <textarea id="${questionId}" name="question" rows="2" maxlength="1000" required></textarea><br><button type="submit">Ask the referrer</button></form>
  <form method="post" action="${base}/close"><button type="submit">Close ${item.handoffId}</button></form>`;
}

function itemHtml(item: BoardItem): SafeHtml {
  return html`<article class="${item.overdue ? 'overdue' : ''}" aria-labelledby="h-${item.handoffId}">
  <h2 id="h-${item.handoffId}">${item.handoffId}</h2>
  ${item.overdue ? html`<p class="flag">Overdue: unclaimed past the ${item.urgency === 'immediate' ? '15-minute' : '2-hour'} target</p>` : ''}
  <dl>
    <dt>Urgency</dt><dd>${item.urgency}</dd>
    ${item.category !== undefined ? html`<dt>Category</dt><dd>${String(item.category)}</dd>` : ''}
    <dt>Status</dt><dd>${item.status}${item.claimedBy && item.status !== 'open' ? ` (${item.claimedBy})` : ''}</dd>
    <dt>Opened</dt><dd>${timeOf(item.createdAt)}</dd>
    <dt>Why</dt><dd>${item.kind === 'parked-referral' ? 'Referral not delivered to the MASH' : item.kind === 'unacknowledged-referral' ? 'Referral not acknowledged by the MASH in time' : item.kind === 'store-reset' ? 'Service alert: stored data was lost' : item.kind === 'mash-credentials' ? 'Service alert: the MASH refuses our credentials' : 'Professional asked to talk'}</dd>
  </dl>
  <p class="summary">${item.summary}</p>
  ${exchange(item)}
  ${actions(item)}
</article>`;
}

/** The coordinators' board: the triaged queue, most urgent first, with the same actions as the Teams card. */
export function boardPage(items: BoardItem[], notice?: string): string {
  return html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Coordinator board: CSE handoffs</title><style>${new SafeHtml(styles)}</style></head>
<body><header><h1>CSE coordinator board</h1></header>
<p class="emergency" role="note">If a child is in immediate danger, call 999.</p>
<main>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p>${String(items.length)} open or claimed handoff${items.length === 1 ? '' : 's'}, most urgent first (urgency, then category, then age).</p>
${items.map(itemHtml)}
</main></body></html>`.toString();
}
