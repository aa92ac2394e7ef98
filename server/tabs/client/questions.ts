// Questions for the referrer (issue 20 item 3) and unfinished referrals (item 2) in "My referrals": the
// question, who asked and when, an answer box, "Sent" once it went, and a badge with how many wait.
// Only textContent: no HTML is built from data.
import { tabClientWords } from '../../clientWords';
import { authHeaders } from './teamsHost';
import { pageWords } from './pageWords';

const say = pageWords(tabClientWords);

export interface Question {
  kind: 'mash' | 'coordinator';
  id: string;
  reference: string;
  question: string;
  askedAt: string;
  answered: boolean;
}

export interface Draft {
  draftId: string;
  startedAt: string;
  savedAt: string;
  keptUntil: string;
  answers: number;
}

const byId = (id: string) => document.getElementById(id) as HTMLElement;
const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  if (className) el.className = className;
  return el;
}

function askedBy(q: Question): string {
  return q.kind === 'mash'
    ? say('tab-question-asked-by-mash', { reference: q.reference, when: when(q.askedAt) })
    : say('tab-question-asked-by-coordinator', { reference: q.reference, when: when(q.askedAt) });
}

function showBadge(waiting: number): void {
  const badge = byId('questions-badge');
  badge.hidden = waiting === 0;
  badge.textContent = say('tab-questions-waiting', { count: waiting });
}

async function send(q: Question, text: string, bearer: string | undefined): Promise<boolean> {
  try {
    const res = await fetch('/api/my-referrals/answers', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { ...authHeaders(bearer, 'application/json'), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: q.kind, id: q.id, text }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** The answer box; once sent it gives way to "Sent" and the badge counts one fewer. */
function answerForm(q: Question, index: number, bearer: string | undefined, answered: () => void): HTMLFormElement {
  const form = element('form', undefined, 'answer');
  const label = element('label', say('tab-answer-label'));
  label.htmlFor = `answer-${index}`;
  const box = element('textarea');
  box.id = `answer-${index}`;
  box.rows = 3;
  box.maxLength = 4000;
  const button = element('button', say('tab-answer-send'));
  button.type = 'submit';
  const status = element('p');
  status.setAttribute('role', 'status');
  form.append(label, box, button, status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (!text) {
      status.textContent = say('tab-answer-empty');
      box.focus();
      return;
    }
    button.disabled = true;
    void send(q, text, bearer).then((ok) => {
      if (!ok) {
        button.disabled = false;
        status.textContent = say('tab-answer-failed');
        return;
      }
      const sent = element('p', say('tab-answer-sent'), 'sent');
      sent.setAttribute('role', 'status');
      form.replaceWith(sent);
      answered();
    });
  });
  return form;
}

export function renderQuestions(questions: Question[], bearer: string | undefined): void {
  if (questions.length === 0) return;
  let waiting = questions.filter((q) => !q.answered).length;
  const list = byId('question-list');
  list.replaceChildren();
  questions.forEach((q, index) => {
    const item = element('li', undefined, q.answered ? 'question answered' : 'question');
    item.append(element('p', askedBy(q), 'asked-by'), element('blockquote', q.question));
    item.append(q.answered ? element('p', say('tab-answer-sent'), 'sent') : answerForm(q, index, bearer, () => showBadge((waiting -= 1))));
    list.appendChild(item);
  });
  showBadge(waiting);
  byId('questions').hidden = false;
}

export function renderDrafts(drafts: Draft[]): void {
  if (drafts.length === 0) return;
  const list = byId('draft-list');
  list.replaceChildren();
  for (const d of drafts) list.appendChild(element('li', say('tab-draft-continue-hint', { draftId: d.draftId })));
  byId('drafts').hidden = false;
}
