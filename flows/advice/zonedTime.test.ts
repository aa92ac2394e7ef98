import { addDays, clockTime, dayNames, isoWithOffset, localTime, utcOffsetMinutes, weekdayOf, zonedInstant } from './zonedTime';

// UK clocks in 2026 go forward at 01:00 UTC on Sunday 29 March and back at 01:00 UTC on Sunday 25 October.
describe('Europe/London wall clock without a time-zone library', () => {
  it.each([
    ['2026-01-15T12:00:00Z', 0],
    ['2026-07-15T12:00:00Z', 60],
    ['2026-03-29T00:59:00Z', 0],
    ['2026-03-29T01:00:00Z', 60],
    ['2026-10-25T00:59:00Z', 60],
    ['2026-10-25T01:00:00Z', 0],
  ])('offset at %s is %i minutes', (instant, offset) => {
    expect(utcOffsetMinutes(new Date(instant))).toBe(offset);
  });

  it('reads the local date and minute, across midnight in BST', () => {
    expect(localTime(new Date('2026-06-30T23:30:00Z'))).toEqual({ date: '2026-07-01', minute: 30 });
    expect(localTime(new Date('2026-12-31T23:30:00Z'))).toEqual({ date: '2026-12-31', minute: 23 * 60 + 30 });
    expect(clockTime(new Date('2026-06-30T23:05:00Z'))).toBe('00:05');
  });

  it('does calendar arithmetic on local dates', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(weekdayOf('2026-03-02')).toBe('mon');
    expect(weekdayOf('2026-03-08')).toBe('sun');
  });

  it('turns a local time into the instant, in GMT and in BST', () => {
    expect(zonedInstant('2026-03-09', 8 * 60).toISOString()).toBe('2026-03-09T08:00:00.000Z');
    expect(zonedInstant('2026-06-01', 8 * 60).toISOString()).toBe('2026-06-01T07:00:00.000Z');
    expect(zonedInstant('2026-03-29', 9 * 60).toISOString()).toBe('2026-03-29T08:00:00.000Z');
  });

  it('takes the first of a repeated autumn time, or the one after a given instant', () => {
    expect(zonedInstant('2026-10-25', 90).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedInstant('2026-10-25', 90, undefined, new Date('2026-10-25T00:45:00Z')).toISOString()).toBe('2026-10-25T01:30:00.000Z');
  });

  it('shifts a time in the spring gap forward by the gap', () => {
    expect(zonedInstant('2026-03-29', 90).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(localTime(zonedInstant('2026-03-29', 90)).minute).toBe(150);
  });

  it('writes ISO 8601 with the local offset', () => {
    expect(isoWithOffset(new Date('2026-03-09T08:00:00Z'))).toBe('2026-03-09T08:00:00+00:00');
    expect(isoWithOffset(new Date('2026-06-01T07:00:00Z'))).toBe('2026-06-01T08:00:00+01:00');
    expect(isoWithOffset(new Date('2026-06-30T23:30:15Z'))).toBe('2026-07-01T00:30:15+01:00');
  });
});

describe('dayNames: the day as a sentence names it', () => {
  it('names the London day, not the UTC one, in the pack locale, and again the same from its cached formatter', () => {
    // 23:30 UTC on Sunday 28 June 2026 is 00:30 on Monday 29 June in London (BST).
    const instant = new Date('2026-06-28T23:30:00Z');
    expect(dayNames(instant, 'en-GB')).toEqual({ weekday: 'Monday', day: '29', month: 'June' });
    expect(dayNames(instant, 'en-GB')).toEqual({ weekday: 'Monday', day: '29', month: 'June' });
    expect(dayNames(instant, 'en-GB', 'UTC')).toEqual({ weekday: 'Sunday', day: '28', month: 'June' });
  });
});
