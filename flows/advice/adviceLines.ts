import type { ContentPack } from '../content/packSchema';
import { DomainError } from '../errors';
import { isOpenAt, nextOpening } from './openingHours';
import { isoWithOffset, londonTimeZone } from './zonedTime';

/** One advice line as it stands at a moment: the `services` entries of the advice-line handoff value. */
export interface AdviceService {
  id: string;
  name: string;
  number: string;
  openNow: boolean;
  /** ISO 8601 with offset of the next opening; null when open now (or always open, or no opening known). */
  nextOpen: string | null;
}

/** A line with what the words need beyond the value: whether it never closes. */
export interface AdviceLine {
  service: AdviceService;
  always: boolean;
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
  const next = nextOpening(pack, contact, now, timeZone);
  return {
    service: {
      id: contact.id,
      name: contact.name,
      number: contact.number,
      openNow: isOpenAt(pack, contact, now, timeZone),
      nextOpen: next ? isoWithOffset(next, timeZone) : null,
    },
    always: contact.opening?.kind === 'always',
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
