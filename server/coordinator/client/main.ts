/**
 * The coordinator board, live (issue 20 item 8): the server says when the queue changed (server-sent
 * events, no polling loop here), and the page fetches itself again and swaps in the new list, unless a
 * coordinator is typing a question, whose words are never thrown away: then it says the board changed
 * and swaps at the next change after the box is empty. "10 minutes ago" is kept current every minute.
 */
const relative = new Intl.RelativeTimeFormat('en-GB', { numeric: 'auto' });

/** The same wording as the server's `agoText` (server/http/html.ts): within a week, else nothing. */
function ago(iso: string, now: number): string | undefined {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (Number.isNaN(seconds) || seconds > 60 || seconds < -7 * 86_400) return undefined;
  if (seconds > -60) return relative.format(0, 'minute');
  if (seconds > -3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (seconds > -86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

function refreshAgo(root: ParentNode): void {
  const now = Date.now();
  root.querySelectorAll<HTMLElement>('time[datetime] .ago').forEach((span) => {
    const iso = span.parentElement?.getAttribute('datetime');
    const text = iso ? ago(iso, now) : undefined;
    if (text) span.textContent = `(${text})`;
  });
}

const typing = (): boolean => [...document.querySelectorAll<HTMLTextAreaElement>('#board-items textarea')].some((box) => box.value.trim() !== '');

async function swapIn(): Promise<void> {
  const res = await fetch('/coordinator', { credentials: 'same-origin', headers: { accept: 'text/html' } });
  if (!res.ok) return; // signed out or the role removed: the next navigation shows why
  const next = new DOMParser().parseFromString(await res.text(), 'text/html');
  const items = next.getElementById('board-items');
  const current = document.getElementById('board-items');
  if (!items || !current) return;
  current.replaceWith(document.importNode(items, true));
  const status = document.getElementById('board-live');
  const updated = next.getElementById('board-live');
  if (status && updated) status.textContent = updated.dataset.updated ?? '';
}

function start(): void {
  const status = document.getElementById('board-live');
  let pending = false;
  const source = new EventSource('/coordinator/events');
  let digest = document.getElementById('board-items')?.dataset.digest;
  source.addEventListener('board', (event) => {
    const data = JSON.parse((event as MessageEvent<string>).data) as { digest?: unknown };
    if (typeof data.digest !== 'string' || data.digest === digest) return;
    digest = data.digest;
    if (typing()) {
      pending = true;
      if (status) status.textContent = status.dataset.changed ?? '';
      return;
    }
    void swapIn();
  });
  document.addEventListener('input', () => {
    if (pending && !typing()) {
      pending = false;
      void swapIn();
    }
  });
  setInterval(() => refreshAgo(document), 60_000);
}

start();
