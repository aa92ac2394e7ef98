import type { ContentPack, PackContact } from '../content/packSchema';
import { DomainError } from '../errors';
import { nextOpening, statusAt, type LineStatus } from './openingHours';
import { isoWithOffset, londonTimeZone } from './zonedTime';

/** One advice line as it stands at a moment: the `services` entries of the advice-line handoff value. */
export interface AdviceService {
  id: string;
  name: string;
  number: string;
  openNow: boolean;
  /** ISO 8601 with offset of the next opening; null when open now (or always open, or no opening known). */
  nextOpen: string | null;
  /**
   * `unknown`: nobody can say whether it answers now (unconfirmed hours, or a date past the bank-holiday
   * table), so it is shown as "call either" with its alternative. `see-hours`: the pack has no opening
   * rules for it (the LADO), so it is shown with its hours in words.
   */
  status: LineStatus | 'see-hours';
  /** The hours in words, as the pack gives them. */
  hours: string;
}

/** A line with what the words need beyond the value: the contact itself (hours, web address). */
export interface AdviceLine {
  service: AdviceService;
  always: boolean;
  contact: PackContact;
}

export interface AdviceGroup {
  id: string;
  label: string;
  lines: AdviceLine[];
}

/** Whether the pack has structured advice lines (a pack without them keeps the plain contact list). */
export function hasAdviceLines(pack: ContentPack): boolean {
  return Object.keys(pack.adviceLines ?? {}).length > 0;
}

function adviceLine(pack: ContentPack, contactId: string, now: Date, timeZone: string): AdviceLine {
  const contact = pack.contacts.find((c) => c.id === contactId);
  if (!contact) throw new DomainError('SG-CONTENT-INVALID', `advice line "${contactId}" is not a contact in pack ${pack.id}`);
  const status = contact.opening ? statusAt(pack, contact, now, timeZone) : 'see-hours';
  const next = contact.opening ? nextOpening(pack, contact, now, timeZone) : null;
  return {
    service: {
      id: contact.id,
      name: contact.name,
      number: contact.number ?? contact.url ?? '',
      openNow: status === 'open',
      nextOpen: next ? isoWithOffset(next, timeZone) : null,
      status,
      hours: contact.hours,
    },
    always: contact.opening?.kind === 'always',
    contact,
  };
}

/**
 * Every advice line of the pack at `now`, by group in the pack's order (danger, concern, consultation
 * for Gloucestershire). The clock is injected so the answer is a pure function of pack and time.
 */
export function adviceLinesAt(pack: ContentPack, now: Date, timeZone = londonTimeZone): AdviceGroup[] {
  return Object.entries(pack.adviceLines ?? {}).map(([id, group]) => ({
    id,
    label: group.label,
    lines: group.contacts.map((contactId) => adviceLine(pack, contactId, now, timeZone)),
  }));
}

/** The flat `services` list of the handoff value, in the pack's order. */
export function adviceServices(pack: ContentPack, now: Date, timeZone = londonTimeZone): AdviceService[] {
  return adviceLinesAt(pack, now, timeZone).flatMap((group) => group.lines.map((line) => line.service));
}
