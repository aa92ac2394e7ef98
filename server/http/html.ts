/** Markup that is already safe: built by `html`, never from a raw string. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

/** What `html` interpolates: text and numbers (escaped), markup already safe, lists of them; nothing for undefined, null, false. */
type HtmlValue = string | number | boolean | null | undefined | SafeHtml | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * A template tag that escapes every interpolated value unless it is SafeHtml, so a concern summary
 * containing `<script>` is shown as text: escaping is the default, not something each call site must
 * remember. Arrays are joined; undefined, null and false render nothing.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const relative = new Intl.RelativeTimeFormat('en-GB', { numeric: 'auto' });

/** "Tue 3 Dec, 14:05": the UK's clock (GMT or BST), which is what the people reading the page live by. */
export function londonTimeText(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : londonTime.format(at);
}

/** "10 minutes ago", "2 hours ago", "yesterday": how long ago, within the last week; undefined beyond it. */
export function agoText(iso: string, now: Date): string | undefined {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  if (Number.isNaN(seconds) || seconds > 60 || seconds < -7 * 86_400) return undefined;
  if (seconds > -60) return relative.format(0, 'minute');
  if (seconds > -3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (seconds > -86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/**
 * A time in the UK's clock inside a machine-readable `<time>` ("Tue 3 Dec, 14:05"); with `now`, how long
 * ago it was too ("Tue 3 Dec, 14:05 (10 minutes ago)"), which the board's script keeps current.
 */
export function timeOf(iso: string, now?: Date): SafeHtml {
  const ago = now ? agoText(iso, now) : undefined;
  return html`<time datetime="${iso}">${londonTimeText(iso)}${ago ? html` <span class="ago">(${ago})</span>` : ''}</time>`;
}
