import { loadDefaultPack } from '../content/loadPack';
import type { ContentPack, PackContact } from '../content/packSchema';
import { bankHolidaysCoverAhead, horizonDays, isOpenAt, nextOpening, openIntervals, statusAt } from './openingHours';
import { addDays, localTime } from './zonedTime';

const pack = loadDefaultPack();
const contact = (id: string) => pack.contacts.find((c) => c.id === id) as PackContact;
const frontDoor = contact('front-door');
const edt = contact('emergency-duty-team');
const nspcc = contact('nspcc');

/** Local London wall-clock times written with their offset, so each test reads as the clock on the wall. */
const at = (local: string) => new Date(local);
const next = (c: PackContact, local: string) => nextOpening(pack, c, at(local))?.toISOString() ?? null;

describe('bank holidays for England and Wales shipped in the pack', () => {
  const expected = {
    2025: ['01-01', '04-18', '04-21', '05-05', '05-26', '08-25', '12-25', '12-26'],
    2026: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
    2027: ['01-01', '03-26', '03-29', '05-03', '05-31', '08-30', '12-27', '12-28'],
    2028: ['01-03', '04-14', '04-17', '05-01', '05-29', '08-28', '12-25', '12-26'],
    // [check] worked out from the usual rules before GOV.UK published 2029 (pack note in advice.json).
    2029: ['01-01', '03-30', '04-02', '05-07', '05-28', '08-27', '12-25', '12-26'],
  };

  it('lists exactly the GOV.UK dates for 2025 to 2029', () => {
    const dates = Object.entries(expected).flatMap(([year, days]) => days.map((d) => `${year}-${d}`));
    expect(Object.keys(pack.bankHolidays ?? {}).sort()).toEqual(dates);
  });

  it('has every bank holiday on a weekday (substitute days included)', () => {
    for (const date of Object.keys(pack.bankHolidays ?? {})) expect(new Date(`${date}T12:00:00Z`).getUTCDay() % 6).not.toBe(0);
  });
});

describe('opening hours in Europe/London', () => {
  it('Monday 10:00 (GMT): the front door is open, the duty team opens at 17:00', () => {
    const now = '2026-03-02T10:00:00+00:00';
    expect(isOpenAt(pack, frontDoor, at(now))).toBe(true);
    expect(isOpenAt(pack, edt, at(now))).toBe(false);
    expect(next(frontDoor, now)).toBeNull();
    expect(next(edt, now)).toBe('2026-03-02T17:00:00.000Z');
  });

  it('Friday 17:30 (GMT): the front door is closed until Monday 09:00, the duty team is open', () => {
    const now = '2026-03-06T17:30:00+00:00';
    expect(isOpenAt(pack, frontDoor, at(now))).toBe(false);
    expect(isOpenAt(pack, edt, at(now))).toBe(true);
    expect(next(frontDoor, now)).toBe('2026-03-09T09:00:00.000Z');
  });

  it('Friday 17:30 (BST): Monday 09:00 is 08:00 UTC', () => {
    const now = '2026-06-05T17:30:00+01:00';
    expect(isOpenAt(pack, frontDoor, at(now))).toBe(false);
    expect(next(frontDoor, now)).toBe('2026-06-08T08:00:00.000Z');
  });

  it('closed before 08:00, unknown 08:00 to 09:00 (8am or 9am: unconfirmed), open from 09:00 to 17:00 sharp, in BST as in GMT', () => {
    for (const offset of ['+00:00', '+01:00']) {
      const day = offset === '+00:00' ? '2026-01-14' : '2026-07-15';
      expect(statusAt(pack, frontDoor, at(`${day}T07:59:00${offset}`))).toBe('closed');
      expect(statusAt(pack, frontDoor, at(`${day}T08:00:00${offset}`))).toBe('unknown');
      expect(statusAt(pack, edt, at(`${day}T08:30:00${offset}`))).toBe('unknown');
      expect(statusAt(pack, frontDoor, at(`${day}T08:59:00${offset}`))).toBe('unknown');
      expect(isOpenAt(pack, frontDoor, at(`${day}T08:30:00${offset}`))).toBe(false);
      expect(isOpenAt(pack, frontDoor, at(`${day}T09:00:00${offset}`))).toBe(true);
      expect(isOpenAt(pack, frontDoor, at(`${day}T16:59:00${offset}`))).toBe(true);
      expect(isOpenAt(pack, frontDoor, at(`${day}T17:00:00${offset}`))).toBe(false);
    }
  });

  it('Sunday: the front door is shut, the duty team open, the NSPCC on weekend hours', () => {
    const now = '2026-03-08T12:00:00+00:00';
    expect(isOpenAt(pack, frontDoor, at(now))).toBe(false);
    expect(isOpenAt(pack, edt, at(now))).toBe(true);
    expect(isOpenAt(pack, nspcc, at(now))).toBe(true);
    expect(isOpenAt(pack, nspcc, at('2026-03-08T18:30:00+00:00'))).toBe(false);
    expect(next(nspcc, '2026-03-08T18:30:00+00:00')).toBe('2026-03-09T08:00:00.000Z');
    expect(next(frontDoor, now)).toBe('2026-03-09T09:00:00.000Z');
  });

  it('bank holiday Monday 4 May 2026, 10:00 (BST): the front door is closed, the duty team is open', () => {
    const now = '2026-05-04T10:00:00+01:00';
    expect(isOpenAt(pack, frontDoor, at(now))).toBe(false);
    expect(isOpenAt(pack, edt, at(now))).toBe(true);
    expect(next(frontDoor, now)).toBe('2026-05-05T08:00:00.000Z');
    expect(statusAt(pack, edt, at('2026-05-04T08:30:00+01:00'))).toBe('open'); // no "unconfirmed" hour on a bank holiday
    expect(openIntervals(pack, edt, '2026-05-04')).toEqual([[0, 1440]]);
  });

  it('a bank holiday, then a weekend, then a bank holiday: Good Friday 2026 opens on Tuesday', () => {
    expect(next(frontDoor, '2026-04-02T17:00:00+01:00')).toBe('2026-04-07T08:00:00.000Z');
    expect(next(frontDoor, '2026-04-03T10:00:00+01:00')).toBe('2026-04-07T08:00:00.000Z');
  });

  it('Christmas: from Christmas Eve evening 2026 the front door next opens on Tuesday 29 December', () => {
    expect(next(frontDoor, '2026-12-24T17:30:00+00:00')).toBe('2026-12-29T09:00:00.000Z');
  });

  it('Boxing Day 2025 (a Friday) is followed by the weekend: Monday 29 December 09:00', () => {
    expect(isOpenAt(pack, frontDoor, at('2025-12-26T10:00:00+00:00'))).toBe(false);
    expect(next(frontDoor, '2025-12-26T10:00:00+00:00')).toBe('2025-12-29T09:00:00.000Z');
  });

  it('across the clocks going forward: Saturday night GMT to Monday 09:00 BST', () => {
    expect(next(frontDoor, '2026-03-28T23:30:00+00:00')).toBe('2026-03-30T08:00:00.000Z');
    expect(next(nspcc, '2026-03-28T23:30:00+00:00')).toBe('2026-03-29T08:00:00.000Z');
  });

  it('across the clocks going back: Friday evening BST to Monday 09:00 GMT', () => {
    expect(next(frontDoor, '2026-10-23T17:30:00+01:00')).toBe('2026-10-26T09:00:00.000Z');
  });

  it('the duty team is open exactly when the front door is surely closed, and unknown together with it, at every quarter hour of a week', () => {
    const start = Date.parse('2026-05-01T00:00:00+01:00'); // includes the 4 May bank holiday
    const opposite = { open: 'closed', closed: 'open', unknown: 'unknown' } as const;
    for (let ms = start; ms < start + 7 * 24 * 3600_000; ms += 15 * 60_000) {
      const now = new Date(ms);
      expect(statusAt(pack, edt, now)).toBe(opposite[statusAt(pack, frontDoor, now)]);
    }
  });

  it('always-open lines have no next opening; a line that never opens has none either', () => {
    expect(next(contact('police-emergency'), '2026-03-08T03:00:00+00:00')).toBeNull();
    const never: ContentPack = {
      ...pack,
      contacts: [...pack.contacts, { ...edt, id: 'never', opening: { kind: 'when-closed', contact: 'police-emergency' } }],
    };
    const neverOpen = never.contacts.find((c) => c.id === 'never') as PackContact;
    expect(isOpenAt(never, neverOpen, at('2026-03-08T03:00:00+00:00'))).toBe(false);
    expect(nextOpening(never, neverOpen, at('2026-03-08T03:00:00+00:00'))).toBeNull();
  });
});

describe('past the end of the bank-holiday table (R8.4: never guess)', () => {
  const short: ContentPack = { ...pack, bankHolidays: Object.fromEntries(Object.entries(pack.bankHolidays ?? {}).filter(([d]) => d < '2027-01-01')) };
  const door = short.contacts.find((c) => c.id === 'front-door') as PackContact;
  const duty = short.contacts.find((c) => c.id === 'emergency-duty-team') as PackContact;

  it('a weekday in office hours after the table ends is unknown for the help desk and the duty team, not open or closed', () => {
    expect(statusAt(short, door, at('2027-01-04T10:00:00+00:00'))).toBe('unknown');
    expect(statusAt(short, duty, at('2027-01-04T10:00:00+00:00'))).toBe('unknown');
  });

  it('evenings and weekends past the table are still known: the help desk is shut whatever the date', () => {
    expect(statusAt(short, door, at('2027-01-09T10:00:00+00:00'))).toBe('closed');
    expect(statusAt(short, duty, at('2027-01-04T20:00:00+00:00'))).toBe('open');
  });

  it('does not promise an opening on a date the table does not cover', () => {
    expect(nextOpening(short, door, at('2026-12-31T18:00:00+00:00'))).toBeNull();
  });
});

describe('the bank-holiday table is long enough (fails 12 months before it runs short)', () => {
  it('covers today plus the 400-day look-ahead plus 365 days, from the real current date', () => {
    // The real clock on purpose: this test exists to fail in CI a year before the service would have
    // to show "call either". When it fails, add the next year from gov.uk/bank-holidays to advice.json.
    const today = localTime(new Date()).date;
    const needed = addDays(today, horizonDays + 365);
    expect({ needed, covered: bankHolidaysCoverAhead(pack, today, horizonDays + 365) }).toEqual({ needed, covered: true });
  });
});
