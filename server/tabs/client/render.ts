// Fills the static page from the list API. Only textContent: no HTML is built from data.

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
}

const statusWords: Record<ListRow['status'], string> = {
  queued: 'Queued for the MASH',
  delivered: 'Received by the MASH',
  parked: 'Not delivered: please phone the Children and Families Help Desk',
  phone: 'To phone through to the MASH (referrals are taken by phone here)',
};

const decisionWords: Record<string, string> = {
  nfa: 'No further action',
  'early-help': 'Early help',
  assessment: 'Social work assessment',
  'strategy-discussion': 'Strategy discussion',
  police: 'Referred to the police',
};

const byId = (id: string) => document.getElementById(id) as HTMLElement;
const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

export function showStatus(text: string): void {
  byId('status').textContent = text;
}

export function showSignIn(): void {
  showStatus('You are not signed in.');
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
  showStatus(`Signed in${user.name ? ` as ${user.name}` : ''}. ${referrals.length === 1 ? '1 referral' : `${referrals.length} referrals`}.`);
  if (referrals.length === 0) {
    byId('empty').hidden = false;
    return;
  }
  const body = byId('rows');
  body.replaceChildren();
  for (const r of referrals) {
    const row = document.createElement('tr');
    cell(row, r.clientReference, undefined, true);
    cell(row, r.reference ?? 'Not yet');
    cell(row, day(r.filedAt));
    cell(row, r.channel);
    cell(row, statusWords[r.status], r.status === 'parked' ? 'parked' : undefined);
    cell(row, r.decision ? decisionWords[r.decision] ?? r.decision : 'None yet');
    cell(row, r.latest ? `${r.latest.type} (${day(r.latest.occurredAt)})` : '-');
    body.appendChild(row);
  }
  byId('list').hidden = false;
}
