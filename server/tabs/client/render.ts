// Fills the static page from the list API, in the pack's words the page carries. Only textContent: no
// HTML is built from data.
import { tabClientWords } from '../../clientWords';
import { pageWords } from './pageWords';
import type { Draft, Question } from './questions';
import { authHeaders } from './teamsHost';

const say = pageWords(tabClientWords);

export interface ListRow {
  clientReference: string;
  reference?: string;
  filedAt: string;
  channel: string;
  status: 'queued' | 'delivered' | 'parked' | 'phone';
  decision?: string;
  latest?: { type: string; occurredAt: string };
  /** Details a version 1 MASH could not take are kept: the row links their copy (kept.txt). */
  detailsKept?: true;
}

export interface Notice {
  id: string;
  at: string;
  text: string;
}

export interface ListResponse {
  user: { name: string | null };
  notifications: Notice[];
  referrals: ListRow[];
  questions?: Question[];
  drafts?: Draft[];
}

const statusKey = (status: ListRow['status']) => `tab-status-${status}` as const;

/** The MASH's decision in the pack's words (`mash-decision-*`, as in the decision notice); an outcome the page has no words for, as its code. */
function decisionText(outcome: string): string {
  const key = `mash-decision-${outcome}`;
  return (tabClientWords as readonly string[]).includes(key) ? say(key as (typeof tabClientWords)[number]) : outcome;
}

const byId = (id: string) => document.getElementById(id) as HTMLElement;
const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

export function showStatus(text: string): void {
  byId('status').textContent = text;
}

export function showSignIn(): void {
  showStatus(say('tab-signed-out'));
  byId('signin').hidden = false;
}

function cell(row: HTMLTableRowElement, text: string, className?: string, header = false): void {
  const el = document.createElement(header ? 'th' : 'td');
  if (header) el.setAttribute('scope', 'row');
  el.textContent = text;
  if (className) el.className = className;
  row.appendChild(el);
}

function renderNotices(notices: Notice[]): void {
  if (notices.length === 0) return;
  const list = byId('notification-list');
  list.replaceChildren();
  for (const n of notices) {
    const item = document.createElement('li');
    item.className = 'notice';
    item.textContent = `${day(n.at)}: ${n.text}`;
    list.appendChild(item);
  }
  byId('notifications').hidden = false;
}

/**
 * Saves the kept details through a blob. Only inside Teams, where the cookie is not sent to the framed
 * page: the plain link would come back 401, so the file is fetched with the SSO bearer instead.
 */
async function downloadWithBearer(href: string, fileName: string, bearer: string): Promise<void> {
  const res = await fetch(href, { headers: authHeaders(bearer, 'text/plain'), credentials: 'same-origin' });
  if (!res.ok) throw new Error(`kept ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const save = document.createElement('a');
  save.href = url;
  save.download = fileName;
  save.click();
  // Revoked a moment later: revoking in the same task can cancel the download it just started.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The link to the referrer's copy of the details kept back from a version 1 MASH (issue 21). */
function keptLink(clientReference: string, bearer: string | undefined): HTMLAnchorElement {
  const link = document.createElement('a');
  link.className = 'kept';
  link.href = `/api/my-referrals/${encodeURIComponent(clientReference)}/kept.txt`;
  link.textContent = say('tab-kept-download');
  if (bearer) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      downloadWithBearer(link.href, `${clientReference}-details.txt`, bearer).catch(() => showStatus(say('tab-kept-failed')));
    });
  }
  return link;
}

export function renderList({ user, notifications, referrals }: ListResponse, bearer?: string): void {
  renderNotices(notifications ?? []);
  const count = referrals.length === 1 ? say('tab-referral-count-one') : say('tab-referral-count', { count: referrals.length });
  showStatus(user.name ? say('tab-signed-in-as', { name: user.name, count }) : say('tab-signed-in', { count }));
  if (referrals.length === 0) {
    byId('empty').hidden = false;
    return;
  }
  const body = byId('rows');
  body.replaceChildren();
  for (const r of referrals) {
    const row = document.createElement('tr');
    cell(row, r.clientReference, undefined, true);
    cell(row, r.reference ?? say('tab-not-yet'));
    cell(row, day(r.filedAt));
    cell(row, r.channel);
    cell(row, say(statusKey(r.status)), r.status === 'parked' ? 'parked' : undefined);
    if (r.detailsKept) row.lastElementChild?.appendChild(keptLink(r.clientReference, bearer));
    cell(row, r.decision ? decisionText(r.decision) : say('tab-none-yet'));
    cell(row, r.latest ? `${r.latest.type} (${day(r.latest.occurredAt)})` : '-');
    body.appendChild(row);
  }
  labelCells(body);
  byId('list').hidden = false;
}

/** Each cell carries its column's heading, so at phone size a row reads as a labelled card (tabCss). */
function labelCells(body: HTMLElement): void {
  const headings = [...document.querySelectorAll('#list thead th')].map((th) => th.textContent ?? '');
  for (const row of body.querySelectorAll('tr')) [...row.children].forEach((cellEl, i) => cellEl.setAttribute('data-label', headings[i] ?? ''));
}
