import { exchangeSpeaker, fillWords, type ServiceWords } from '../../flows';
import type { Handoff } from '../../integrations';
import { escapeHtml, html, SafeHtml, timeOf } from '../http';
import { boardDigest } from './boardEvents';
import { accessibilityFooter } from '../webchat';

export type BoardItem = Handoff & { overdue: boolean };

/** Why a handoff exists, in the pack's words (the Teams card says the same): one key per kind. */
const handoffKindKey = (kind: Handoff['kind']) => `handoff-kind-${kind}` as const;

const styles = `
  body { font-family: system-ui, "Segoe UI", sans-serif; margin: 0; color: #0b0c0c; }
  header { background: #1d3557; color: #fff; padding: 0.75rem 1rem; }
  header h1 { margin: 0; font-size: 1.25rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  footer { padding: 0.5rem 1rem; border-top: 1px solid #b1b4b6; }
  .live:empty { display: none; }
  .live { border-left: 6px solid #1d70b8; background: #f3f6fa; padding: 0.5rem 1rem; }
  article h2 { overflow-wrap: anywhere; }
  main { padding: 1rem; max-width: 70rem; }
  .notice { border-left: 6px solid #1d70b8; background: #f3f6fa; padding: 0.5rem 1rem; }
  .emergency { background: #fff4e5; border-left: 6px solid #b54708; padding: 0.5rem 1rem; font-weight: 600; margin: 0; }
  .emergency p { margin: 0; }
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
  /* Phone size (issue 20 item 7): one column, nothing wider than the screen. */
  @media (max-width: 40rem) {
    main { padding: 0.5rem; }
    article { padding: 0.5rem; }
    dl { grid-template-columns: 1fr; gap: 0; }
    dd { margin-bottom: 0.4rem; overflow-wrap: anywhere; }
    form { display: block; }
    textarea { width: 100%; box-sizing: border-box; }
  }
`;

/** One line of the exchange in the pack's words: the words escaped first, then the escaped values and the time element put in. */
function exchangeLine(m: Handoff['messages'][number], words: ServiceWords, now: Date): SafeHtml {
  const line = fillWords(escapeHtml(words('handoff-exchange-line')), { who: escapeHtml(exchangeSpeaker(words, m)), at: timeOf(m.at, now).value, text: escapeHtml(m.text) });
  return html`<li>${new SafeHtml(line)}</li>`;
}

function exchange(item: BoardItem, words: ServiceWords, now: Date): SafeHtml | string {
  if (item.messages.length === 0) return '';
  return html`<h3>${words('board-exchange-heading')}</h3><ol>${item.messages.map((m) => exchangeLine(m, words, now))}</ol>`;
}

function actions(item: BoardItem, words: ServiceWords): SafeHtml | string {
  if (item.status === 'closed') return '';
  const base = `/coordinator/handoffs/${encodeURIComponent(item.handoffId)}`;
  const questionId = `question-${item.handoffId}`;
  const { handoffId } = item;
  return html`
  ${item.status === 'open' ? html`<form method="post" action="${base}/claim"><button type="submit">${words('board-claim', { handoffId })}</button></form>` : ''}
  <form method="post" action="${base}/ask"><label for="${questionId}">${words('handoff-question-label')}</label>
    <textarea id="${questionId}" name="question" rows="2" maxlength="1000" required></textarea><br><button type="submit">${words('handoff-ask')}</button></form>
  <form method="post" action="${base}/close"><button type="submit">${words('board-close', { handoffId })}</button></form>`;
}

/** Whom to call back: the name, role and organisation their sign-in gave, and a phone once a flow collects one. */
function referrer(item: BoardItem, words: ServiceWords): SafeHtml | string {
  if (item.referrer.channelId === 'service') return ''; // the service's own alerts have no referrer
  const given = (value: string | undefined) => value?.trim() || words('board-not-given');
  const phone = item.referrer.phone?.trim();
  return html`
    <dt>${words('handoff-label-referrer')}</dt><dd>${given(item.referrer.name)}</dd>
    <dt>${words('board-label-role')}</dt><dd>${given(item.referrer.role)}</dd>
    <dt>${words('board-label-organisation')}</dt><dd>${given(item.referrer.organisation)}</dd>
    <dt>${words('board-label-phone')}</dt><dd>${phone ? html`<a href="tel:${phone.replace(/[^\d+]/g, '')}">${phone}</a>` : words('board-not-given')}</dd>`;
}

function itemHtml(item: BoardItem, words: ServiceWords, now: Date): SafeHtml {
  return html`<article class="${item.overdue ? 'overdue' : ''}" aria-labelledby="h-${item.handoffId}">
  <h2 id="h-${item.handoffId}">${item.handoffId}</h2>
  ${item.overdue ? html`<p class="flag">${words(item.urgency === 'immediate' ? 'board-overdue-immediate' : 'board-overdue-same-day')}</p>` : ''}
  <dl>
    <dt>${words('handoff-label-urgency')}</dt><dd>${item.urgency}</dd>
    ${item.category !== undefined ? html`<dt>${words('handoff-label-category')}</dt><dd>${String(item.category)}</dd>` : ''}
    <dt>${words('handoff-label-status')}</dt><dd>${item.status}${item.claimedBy && item.status !== 'open' ? ` (${item.claimedBy})` : ''}</dd>
    <dt>${words('handoff-label-opened')}</dt><dd>${timeOf(item.createdAt, now)}</dd>
    <dt>${words('handoff-label-why')}</dt><dd>${words(handoffKindKey(item.kind))}</dd>
    ${referrer(item, words)}
  </dl>
  <p class="summary">${item.summary}</p>
  ${exchange(item, words, now)}
  ${actions(item, words)}
</article>`;
}

/** The coordinators' board: the triaged queue, most urgent first, with the same actions as the Teams card. */
export function boardPage(words: ServiceWords, items: BoardItem[], notice?: string, now: Date = new Date()): string {
  const count = words(items.length === 1 ? 'board-count-one' : 'board-count', { count: items.length });
  return html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${words('board-title')}</title><style>${new SafeHtml(styles)}</style><script src="/coordinator/board.js" defer></script></head>
<body><header><h1>${words('board-heading')}</h1></header>
<aside class="emergency"><p role="note">${words('board-emergency')}</p></aside>
<main>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p id="board-live" class="live" role="status" aria-live="polite" data-changed="${words('board-updated')}" data-updated="${count}"></p>
<div id="board-items" data-digest="${boardDigest(items)}">
<p>${count}</p>
${items.map((item) => itemHtml(item, words, now))}
</div>
</main>
${new SafeHtml(accessibilityFooter(words))}
</body></html>`.toString();
}
