// Fills the static page from the list API, in the pack's words the page carries. Only textContent: no
// HTML is built from data.
import { tabClientWords } from '../../clientWords';
import { pageWords } from './pageWords';
import type { Draft, Question } from './questions';

const say = pageWords(tabClientWords);

export interface ListRow {
  clientReference: string;
  reference?: string;
  filedAt: string;
  channel: string;
  status: 'queued' | 'delivered' | 'parked' | 'phone';
  decision?: string;
  latest?: { type: string; occurredAt: string };
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

export function renderList({ user, notifications, referrals }: ListResponse): void {
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
