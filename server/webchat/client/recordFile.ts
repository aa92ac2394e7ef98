import type { ChatWords } from './chatWords';

/** A result as the professional saw it: its one-line outcome and its sections of paragraphs, in order. */
export interface ShownRecord {
  outcome: string;
  sections: Array<{ heading: string; paragraphs: string[] }>;
  reference?: string;
}

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** When the record was made, as a person in England reads it ("Sat 5 December 2026, 13:45"). */
function madeAt(now: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'short',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(now);
}

/** The record as plain text, to paste into the professional's own case system. */
export function recordText(record: ShownRecord, say: ChatWords, now = new Date()): string {
  const sections = record.sections.map((s) => [s.heading, ...s.paragraphs].join('\n\n'));
  return [say('chat-record-title'), say('chat-record-made', { when: madeAt(now) }), record.outcome, ...sections, say('chat-record-note')].join('\n\n');
}

/**
 * The record as a standalone HTML page, built in the browser from what is on screen: nothing is fetched
 * or kept by the service, and it holds exactly the words the service showed (which name nobody).
 */
export function recordHtml(record: ShownRecord, say: ChatWords, now = new Date()): string {
  const paragraph = (p: string) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`;
  const sections = record.sections.map((s) => `<h2>${escape(s.heading)}</h2>\n${s.paragraphs.map(paragraph).join('\n')}`).join('\n');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(say('chat-record-title'))}</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:1rem auto;padding:0 1rem;color:#0b0c0c}h1{font-size:1.3rem}h2{font-size:1.1rem}</style>
</head><body>
<h1>${escape(say('chat-record-title'))}</h1>
<p>${escape(say('chat-record-made', { when: madeAt(now) }))}</p>
<p><strong>${escape(record.outcome)}</strong></p>
${sections}
<p><em>${escape(say('chat-record-note'))}</em></p>
</body></html>
`;
}

/** A file name that says what it is and when, with nothing of the case in it. */
export function recordFileName(now = new Date()): string {
  return `safeguarding-record-${now.toISOString().slice(0, 16).replace(/[:T]/g, '-')}.html`;
}

/** Saves the record as an HTML file (a download from a blob: nothing leaves the browser). */
export function downloadRecord(record: ShownRecord, say: ChatWords): void {
  const url = URL.createObjectURL(new Blob([recordHtml(record, say)], { type: 'text/html' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = recordFileName();
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Prints this record alone: the page's print styles hide everything but the element marked for printing
 * (server/webchat/pages.ts), so the rest of the conversation is not printed with it.
 */
export function printRecord(element: HTMLElement): void {
  // A closed disclosure prints nothing of what it holds: the record is printed whole.
  element.querySelectorAll('details').forEach((details) => (details.open = true));
  element.classList.add('sg-print-target');
  document.body.classList.add('sg-printing');
  const done = () => {
    element.classList.remove('sg-print-target');
    document.body.classList.remove('sg-printing');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
  // Browsers that print synchronously have already fired afterprint; those that never fire it are covered too.
  setTimeout(done, 1000);
}
