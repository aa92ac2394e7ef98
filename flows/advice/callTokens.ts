import type { ContentPack, PackContact } from '../content/packSchema';
import { callTokenPattern, hasCallTokens } from '../content/packReferences';
import { DomainError } from '../errors';
import { contactById, nextOpening, statusAt } from './openingHours';
import { clockTime, dayNames, londonTimeZone } from './zonedTime';

type Vars = Record<string, string>;

/** A pack phrase with `{name}` placeholders filled. */
function phrase(pack: ContentPack, key: string, vars: Vars): string {
  const message = pack.messages[key];
  if (!message) throw new DomainError('SG-CONTENT-INVALID', `message "${key}" is not in pack ${pack.id}`);
  return message.text.replace(/\{([a-z]+)\}/g, (placeholder, name: string) => vars[name] ?? placeholder);
}

function when(pack: ContentPack, instant: Date, timeZone: string): string {
  return phrase(pack, 'advice-when', { ...dayNames(instant, pack.locale, timeZone), time: clockTime(instant, timeZone) });
}

/** "the Emergency Duty Team on 01452 614194, an answerphone: …": the line as named in a sentence. */
function line(pack: ContentPack, contact: PackContact): string {
  const named = phrase(pack, 'call-line', { name: contact.callName ?? contact.name, number: contact.number ?? contact.url ?? '' });
  return contact.callNote ? phrase(pack, 'call-line-note', { line: named, note: contact.callNote }) : named;
}

/** One contact on its own: always open, online, by its hours in words, or open/closed now. */
function single(pack: ContentPack, contact: PackContact, now: Date, timeZone: string): string {
  const name = contact.callName ?? contact.name;
  if (!contact.number && contact.url) return phrase(pack, 'call-online', { name, url: contact.url });
  if (!contact.opening) return phrase(pack, 'call-hours', { line: line(pack, contact), hours: contact.hours });
  if (contact.opening.kind === 'always') return phrase(pack, 'call-always', { line: line(pack, contact) });
  const status = statusAt(pack, contact, now, timeZone);
  if (status === 'open') return phrase(pack, 'call-open', { line: line(pack, contact) });
  const next = nextOpening(pack, contact, now, timeZone);
  return phrase(pack, 'call-closed', { line: line(pack, contact), next: next ? when(pack, next, timeZone) : contact.hours });
}

/**
 * One contact at `now`, with its alternative in the same sentence whenever it is closed or nobody can
 * say (R8.1 the line to call now first; R8.2 never "phone now" on a closed line alone; R8.4 "call
 * either" past the bank-holiday table or in unconfirmed hours).
 */
export function callText(pack: ContentPack, contactId: string, now: Date, timeZone = londonTimeZone): string {
  const contact = contactById(pack, contactId);
  if (!contact.alternative || !contact.opening || contact.opening.kind === 'always') return single(pack, contact, now, timeZone);
  const alternative = contactById(pack, contact.alternative);
  const status = statusAt(pack, contact, now, timeZone);
  const other = alternative.opening ? statusAt(pack, alternative, now, timeZone) : 'unknown';
  if (status === 'unknown' || (status === 'closed' && other === 'unknown')) {
    return phrase(pack, 'call-either', { line: line(pack, contact), alternative: line(pack, alternative) });
  }
  if (status === 'open') return phrase(pack, 'call-open-alternative', { line: line(pack, contact), alternative: line(pack, alternative) });
  if (other === 'open') {
    const next = nextOpening(pack, contact, now, timeZone);
    return phrase(pack, 'call-closed-alternative', { line: line(pack, contact), alternative: line(pack, alternative), next: next ? when(pack, next, timeZone) : contact.hours });
  }
  // Both closed (two office-hours lines): each with when it opens, so neither reads as "phone now".
  return `${single(pack, contact, now, timeZone)}; ${single(pack, alternative, now, timeZone)}`;
}

/**
 * Fills every call token in `text` for the moment it is sent. The one place pack text learns the time:
 * the runtime applies it to every message of a turn, and the server to every notification, with the
 * turn's or the notifier's clock (never the system clock inside flows).
 */
export function fillCallTokens(pack: ContentPack, text: string, now: Date, timeZone = londonTimeZone): string {
  if (!hasCallTokens(text)) return text;
  // A token naming no contact is left as typed: pack texts are checked at load, so such a token can only
  // come from what a professional typed (echoed in a summary), which must never fail their turn.
  const known = new Set(pack.contacts.map((c) => c.id));
  return text.replace(callTokenPattern, (token: string, _whole: string, contactId: string | undefined) => {
    const id = contactId ?? pack.callNow;
    return id && known.has(id) ? callText(pack, id, now, timeZone) : token;
  });
}
