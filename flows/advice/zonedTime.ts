import type { Weekday } from '../content/packSchema';

/**
 * Wall-clock arithmetic in one IANA time zone with nothing but `Intl` (no time-zone library): the
 * zone's offset at an instant is read back from `Intl.DateTimeFormat`, so BST and GMT come from the
 * platform's tz data, not from rules copied here.
 */
export const londonTimeZone = 'Europe/London';

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;
const weekdayByUtcDay: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** A local calendar date (YYYY-MM-DD) and the minute of that day (0–1439). */
export interface LocalTime {
  date: string;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    // hourCycle h23: some ICU versions print midnight as "24" with hour12: false.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The wall clock in `timeZone` at `instant`, to the minute, as if it were UTC (epoch milliseconds). */
function wallClockMs(instant: Date, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
}

/** Minutes the zone is ahead of UTC at `instant` (Europe/London: 0 in GMT, 60 in BST). */
export function utcOffsetMinutes(instant: Date, timeZone = londonTimeZone): number {
  const wholeMinute = Math.floor(instant.getTime() / minuteMs) * minuteMs;
  return (wallClockMs(instant, timeZone) - wholeMinute) / minuteMs;
}

/** The local date and minute of the day at `instant`. */
export function localTime(instant: Date, timeZone = londonTimeZone): LocalTime {
  const wall = new Date(wallClockMs(instant, timeZone));
  return { date: wall.toISOString().slice(0, 10), minute: wall.getUTCHours() * 60 + wall.getUTCMinutes() };
}

function dateMs(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day);
}

/** The calendar date `days` after `date` (pure calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(dateMs(date) + days * dayMs).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): Weekday {
  return weekdayByUtcDay[new Date(dateMs(date)).getUTCDay()];
}

/**
 * The first instant after `after` (if given) at which the wall clock reads `date` `minute`. On the
 * autumn night a time happens twice and the earlier is taken; in the spring gap a time never happens
 * and the clock time is shifted forward by the gap (01:30 becomes 02:30 BST), as java.time does.
 */
export function zonedInstant(date: string, minute: number, timeZone = londonTimeZone, after?: Date): Date {
  const asUtc = dateMs(date) + minute * minuteMs;
  const before = utcOffsetMinutes(new Date(asUtc - dayMs), timeZone);
  const later = utcOffsetMinutes(new Date(asUtc + dayMs), timeZone);
  const matches = [before, later]
    .map((offset) => asUtc - offset * minuteMs)
    .filter((ms) => wallClockMs(new Date(ms), timeZone) === asUtc && (!after || ms > after.getTime()))
    .sort((a, b) => a - b);
  return new Date(matches[0] ?? asUtc - before * minuteMs);
}

/** ISO 8601 with the zone's offset, e.g. `2026-03-09T08:00:00+00:00` or `2026-06-01T08:00:00+01:00`. */
export function isoWithOffset(instant: Date, timeZone = londonTimeZone): string {
  const offset = utcOffsetMinutes(instant, timeZone);
  const wall = new Date(wallClockMs(instant, timeZone)).toISOString().slice(0, 16);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${wall}:${pad(instant.getUTCSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The wall-clock time at `instant` as HH:MM (24-hour). */
export function clockTime(instant: Date, timeZone = londonTimeZone): string {
  const { minute } = localTime(instant, timeZone);
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

export interface DayNames {
  weekday: string;
  day: string;
  month: string;
}

// Building an Intl.DateTimeFormat costs far more than using one, and "when a line opens" is worded on
// every turn that shows a closed line: one formatter per locale and zone.
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The weekday, day of the month and month at `instant` in `timeZone`, worded in `locale` ("Monday", "8", "December"). */
export function dayNames(instant: Date, locale: string, timeZone = londonTimeZone): DayNames {
  const cacheKey = `${locale}\n${timeZone}`;
  let format = dayFormatters.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long' });
    dayFormatters.set(cacheKey, format);
  }
  const names: DayNames = { weekday: '', day: '', month: '' };
  for (const part of format.formatToParts(instant)) {
    if (part.type === 'weekday' || part.type === 'day' || part.type === 'month') names[part.type] = part.value;
  }
  return names;
}
