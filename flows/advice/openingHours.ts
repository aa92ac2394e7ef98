import type { ContentPack, PackContact, PackOpeningRule } from '../content/packSchema';
import { DomainError } from '../errors';
import { addDays, localTime, londonTimeZone, weekdayOf, zonedInstant } from './zonedTime';

/** Minutes of a local day, [from, to): `to` is exclusive, 1440 is midnight at the end of the day. */
export type Interval = readonly [number, number];

const endOfDay = 1440;
/** How far ahead to look for an opening; a line closed for longer is shown with no opening time. */
const horizonDays = 400;

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

function merged(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

function complement(intervals: Interval[]): Interval[] {
  const out: Interval[] = [];
  let cursor = 0;
  for (const [from, to] of intervals) {
    if (from > cursor) out.push([cursor, from]);
    cursor = Math.max(cursor, to);
  }
  if (cursor < endOfDay) out.push([cursor, endOfDay]);
  return out;
}

function contactById(pack: ContentPack, id: string): PackContact {
  const contact = pack.contacts.find((c) => c.id === id);
  if (!contact) throw new DomainError('SG-CONTENT-INVALID', `contact "${id}" is not in pack ${pack.id}`);
  return contact;
}

function weeklyIntervals(rules: PackOpeningRule[], date: string): Interval[] {
  const weekday = weekdayOf(date);
  return merged(rules.filter((r) => r.days.includes(weekday)).map((r): Interval => [minutesOf(r.from), minutesOf(r.to)]));
}

/** When `contact` is open on the local `date`, as sorted, non-overlapping intervals. */
export function openIntervals(pack: ContentPack, contact: PackContact, date: string): Interval[] {
  const opening = contact.opening;
  if (!opening) throw new DomainError('SG-CONTENT-INVALID', `contact "${contact.id}" has no opening hours in pack ${pack.id}`);
  if (opening.kind === 'always') return [[0, endOfDay]];
  if (opening.kind === 'when-closed') return complement(openIntervals(pack, contactById(pack, opening.contact), date));
  if (opening.closedOnBankHolidays && pack.bankHolidays?.[date]) return [];
  return weeklyIntervals(opening.rules, date);
}

/** Whether `contact` answers at `now` (Europe/London wall-clock rules, bank holidays from the pack). */
export function isOpenAt(pack: ContentPack, contact: PackContact, now: Date, timeZone = londonTimeZone): boolean {
  const { date, minute } = localTime(now, timeZone);
  return openIntervals(pack, contact, date).some(([from, to]) => from <= minute && minute < to);
}

/**
 * The next instant `contact` opens after `now`, or null when it is open now (or opens nowhere within
 * the horizon). Opening changes only at rule boundaries and midnight, so this walks local days and
 * their interval starts instead of minutes.
 */
export function nextOpening(pack: ContentPack, contact: PackContact, now: Date, timeZone = londonTimeZone): Date | null {
  if (isOpenAt(pack, contact, now, timeZone)) return null;
  const { date, minute } = localTime(now, timeZone);
  for (let days = 0; days <= horizonDays; days += 1) {
    const day = addDays(date, days);
    const start = openIntervals(pack, contact, day).find(([from]) => days > 0 || from > minute);
    if (start) return zonedInstant(day, start[0], timeZone, now);
  }
  return null;
}
