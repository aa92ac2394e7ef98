import type { ContentPack, PackContact, PackOpeningRule } from '../content/packSchema';
import { DomainError } from '../errors';
import { addDays, localTime, londonTimeZone, weekdayOf, zonedInstant } from './zonedTime';

/** Minutes of a local day, [from, to): `to` is exclusive, 1440 is midnight at the end of the day. */
export type Interval = readonly [number, number];

/**
 * Whether a line answers at a moment. `unknown` when the pack cannot say: hours the sources disagree on
 * (`unconfirmed`), or a weekday past the end of the bank-holiday table. An unknown line is never shown
 * as open or closed; it is shown with its alternative as "call either" (guidance rules R8.2, R8.4).
 */
export type LineStatus = 'open' | 'closed' | 'unknown';

const endOfDay = 1440;
/** How far ahead to look for an opening; a line closed for longer is shown with no opening time. */
export const horizonDays = 400;

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

export function contactById(pack: ContentPack, id: string): PackContact {
  const contact = pack.contacts.find((c) => c.id === id);
  if (!contact) throw new DomainError('SG-CONTENT-INVALID', `contact "${id}" is not in pack ${pack.id}`);
  return contact;
}

function weeklyIntervals(rules: PackOpeningRule[], date: string): Interval[] {
  const weekday = weekdayOf(date);
  return merged(rules.filter((r) => r.days.includes(weekday)).map((r): Interval => [minutesOf(r.from), minutesOf(r.to)]));
}

const contains = (intervals: Interval[], minute: number) => intervals.some(([from, to]) => from <= minute && minute < to);

/**
 * The last date the pack's bank-holiday table speaks for: 31 December of its last listed year (a year is
 * added whole). Undefined for a pack with no table (no line there closes on bank holidays).
 */
export function bankHolidaysCoverUntil(pack: ContentPack): string | undefined {
  const last = Object.keys(pack.bankHolidays ?? {})
    .sort()
    .pop();
  return last ? `${last.slice(0, 4)}-12-31` : undefined;
}

/** Whether the bank-holiday table says, for `date`, whether it is a bank holiday. */
export function bankHolidaysCover(pack: ContentPack, date: string): boolean {
  const until = bankHolidaysCoverUntil(pack);
  return until !== undefined && date <= until;
}

/**
 * Whether the table covers every date from `today` through the look-ahead `days` (default the 400-day
 * horizon of "opens on …"): false means the table is short and needs next year's dates.
 */
export function bankHolidaysCoverAhead(pack: ContentPack, today: string, days = horizonDays): boolean {
  return bankHolidaysCover(pack, addDays(today, days));
}

/** Whether `contact` (through a "when-closed" rule too) closes on bank holidays. */
function closesOnBankHolidays(pack: ContentPack, contact: PackContact): boolean {
  const opening = contact.opening;
  if (opening?.kind === 'weekly') return opening.closedOnBankHolidays;
  if (opening?.kind === 'when-closed') return closesOnBankHolidays(pack, contactById(pack, opening.contact));
  return false;
}

function weeklyStatus(pack: ContentPack, opening: Extract<PackContact['opening'], { kind: 'weekly' }>, date: string, minute: number): LineStatus {
  if (opening.closedOnBankHolidays && pack.bankHolidays?.[date]) return 'closed';
  if (contains(weeklyIntervals(opening.unconfirmed, date), minute)) return 'unknown';
  if (!contains(weeklyIntervals(opening.rules, date), minute)) return 'closed';
  // Open by the weekly rules; a bank holiday would close it, and past the table nobody knows.
  return opening.closedOnBankHolidays && !bankHolidaysCover(pack, date) ? 'unknown' : 'open';
}

/** The status of `contact` at a local date and minute. */
export function statusOn(pack: ContentPack, contact: PackContact, date: string, minute: number): LineStatus {
  const opening = contact.opening;
  if (!opening) throw new DomainError('SG-CONTENT-INVALID', `contact "${contact.id}" has no opening hours in pack ${pack.id}`);
  if (opening.kind === 'always') return 'open';
  if (opening.kind === 'weekly') return weeklyStatus(pack, opening, date, minute);
  const covered = statusOn(pack, contactById(pack, opening.contact), date, minute);
  return covered === 'unknown' ? 'unknown' : covered === 'open' ? 'closed' : 'open';
}

/** When `contact` is surely open on the local `date`, as sorted, non-overlapping intervals. */
export function openIntervals(pack: ContentPack, contact: PackContact, date: string): Interval[] {
  const opening = contact.opening;
  if (!opening) throw new DomainError('SG-CONTENT-INVALID', `contact "${contact.id}" has no opening hours in pack ${pack.id}`);
  if (opening.kind === 'always') return [[0, endOfDay]];
  if (opening.kind === 'when-closed') {
    const target = contactById(pack, opening.contact);
    const notClosed = merged([...openIntervals(pack, target, date), ...unconfirmedIntervals(pack, target, date)]);
    return complement(notClosed);
  }
  if (opening.closedOnBankHolidays && pack.bankHolidays?.[date]) return [];
  const unsure = weeklyIntervals(opening.unconfirmed, date);
  return complement(merged([...complement(weeklyIntervals(opening.rules, date)), ...unsure]));
}

/** When it is not known whether a weekly line answers on `date` (none on a bank holiday it closes for). */
function unconfirmedIntervals(pack: ContentPack, contact: PackContact, date: string): Interval[] {
  const opening = contact.opening;
  if (opening?.kind !== 'weekly' || (opening.closedOnBankHolidays && pack.bankHolidays?.[date])) return [];
  return weeklyIntervals(opening.unconfirmed, date);
}

/** The status of `contact` at `now` (Europe/London wall clock, bank holidays from the pack). */
export function statusAt(pack: ContentPack, contact: PackContact, now: Date, timeZone = londonTimeZone): LineStatus {
  const { date, minute } = localTime(now, timeZone);
  return statusOn(pack, contact, date, minute);
}

/** Whether `contact` surely answers at `now`. */
export function isOpenAt(pack: ContentPack, contact: PackContact, now: Date, timeZone = londonTimeZone): boolean {
  return statusAt(pack, contact, now, timeZone) === 'open';
}

/**
 * The next instant `contact` surely opens after `now`, or null when it is open now, or nobody can say
 * (it opens nowhere within the horizon, or the next opening would fall past the bank-holiday table, where
 * a bank holiday could keep it shut). Opening changes only at rule boundaries and midnight, so this walks
 * local days and their interval starts instead of minutes.
 */
export function nextOpening(pack: ContentPack, contact: PackContact, now: Date, timeZone = londonTimeZone): Date | null {
  if (statusAt(pack, contact, now, timeZone) !== 'closed') return null;
  const { date, minute } = localTime(now, timeZone);
  const holidayBound = closesOnBankHolidays(pack, contact);
  for (let days = 0; days <= horizonDays; days += 1) {
    const day = addDays(date, days);
    if (holidayBound && !bankHolidaysCover(pack, day)) return null;
    const start = openIntervals(pack, contact, day).find(([from]) => days > 0 || from > minute);
    if (start) return zonedInstant(day, start[0], timeZone, now);
  }
  return null;
}
