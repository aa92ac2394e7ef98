import type { ContentPack } from '../content/packSchema';
import { DomainError } from '../errors';
import type { OutgoingMessage } from '../protocol';
import { adviceLinesAt, type AdviceGroup, type AdviceLine } from './adviceLines';
import { clockTime, dayNames, londonTimeZone } from './zonedTime';

type Vars = Record<string, string>;

/** A pack text with `{name}` placeholders filled; the words stay in the pack, code only supplies values. */
function fill(pack: ContentPack, key: string, vars: Vars): string {
  const message = pack.messages[key];
  if (!message) throw new DomainError('SG-CONTENT-INVALID', `message "${key}" is not in pack ${pack.id}`);
  return message.text.replace(/\{([a-z]+)\}(?!\})/g, (placeholder, name: string) => vars[name] ?? placeholder);
}

function when(pack: ContentPack, instant: Date, timeZone: string): string {
  return fill(pack, 'advice-when', { ...dayNames(instant, pack.locale, timeZone), time: clockTime(instant, timeZone) });
}

/** The line's words, with how the line works when the pack says (the duty team is an answerphone, R8.3). */
function lineText(pack: ContentPack, line: AdviceLine, timeZone: string): string {
  const text = statusText(pack, line, timeZone);
  return line.contact.callNote ? fill(pack, 'advice-note', { line: text, note: line.contact.callNote }) : text;
}

function statusText(pack: ContentPack, line: AdviceLine, timeZone: string): string {
  const { name, number, openNow, nextOpen, status } = line.service;
  const vars: Vars = { name, number };
  if (!line.contact.number && line.contact.url) return fill(pack, 'advice-online', { name, url: line.contact.url });
  if (!line.contact.opening) return fill(pack, 'advice-hours', { ...vars, hours: line.contact.hours });
  if (line.always) return fill(pack, 'advice-always', vars);
  // Unconfirmed hours or a date past the bank-holiday table: neither "open" nor "closed" (R8.4).
  if (status === 'unknown') return fill(pack, 'advice-either', vars);
  if (openNow) return fill(pack, 'advice-open', vars);
  if (!nextOpen) return fill(pack, 'advice-closed-no-opening', vars);
  return fill(pack, 'advice-closed', { ...vars, next: when(pack, new Date(nextOpen), timeZone) });
}

const rank = (line: AdviceLine) => (line.service.openNow ? 0 : line.service.status === 'unknown' ? 1 : 2);

/** A group's lines with the ones to call now first: the professional reads the first number and dials. */
function groupText(pack: ContentPack, group: AdviceGroup, timeZone: string): string {
  const ordered = [...group.lines].sort((a, b) => rank(a) - rank(b));
  return [group.label, ...ordered.map((line) => `- ${lineText(pack, line, timeZone)}`)].join('\n');
}

/**
 * "Who can I call?" at `now`: one message saying who to call now, with the next opening of each closed
 * line, and the machine-readable handoff value listing every line in pack order.
 */
export function adviceNowMessage(pack: ContentPack, now: Date, timeZone = londonTimeZone): OutgoingMessage {
  const groups = adviceLinesAt(pack, now, timeZone);
  const header = fill(pack, 'advice-now', { now: when(pack, now, timeZone) });
  const services = groups.flatMap((group) => group.lines.map((line) => line.service));
  return {
    text: [header, ...groups.map((group) => groupText(pack, group, timeZone))].join('\n\n'),
    value: { type: 'safeguarding.handoff', kind: 'advice-line', services },
  };
}
