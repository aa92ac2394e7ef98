import { loadDefaultPack } from '../content/loadPack';
import type { ContentPack, PackContact } from '../content/packSchema';
import { isOpenAt, nextOpening, openIntervals } from './openingHours';

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
  };

  it('lists exactly the GOV.UK dates for 2025 to 2028', () => {
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

  it('Friday 17:30 (GMT): the front door is closed until Monday 08:00, the duty team is open', () => {
    const now = '2026-03-06T17:30:00+00:00';
    expect(isOpenAt(pack, frontDoor, at(now))).toBe(false);
    expect(isOpenAt(pack, edt, at(now))).toBe(true);
    expect(next(frontDoor, now)).toBe('2026-03-09T08:00:00.000Z');
  });

  it('Friday 17:30 (BST): Monday 08:00 is 07:00 UTC', () => {
    const now = '2026-06-05T17:30:00+01:00';
    expect(isOpenAt(pack, frontDoor, at(now))).toBe(false);
    expect(next(frontDoor, now)).toBe('2026-06-08T07:00:00.000Z');
  });

  it('opens at 08:00 sharp and closes at 17:00 sharp, in BST as in GMT', () => {
    for (const offset of ['+00:00', '+01:00']) {
      const day = offset === '+00:00' ? '2026-01-14' : '2026-07-15';
      expect(isOpenAt(pack, frontDoor, at(`${day}T07:59:00${offset}`))).toBe(false);
      expect(isOpenAt(pack, frontDoor, at(`${day}T08:00:00${offset}`))).toBe(true);
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
    expect(next(frontDoor, now)).toBe('2026-03-09T08:00:00.000Z');
  });

  it('bank holiday Monday 4 May 2026, 10:00 (BST): the front door is closed, the duty team is open', () => {
    const now = '2026-05-04T10:00:00+01:00';
    expect(isOpenAt(pack, frontDoor, at(now))).toBe(false);
    expect(isOpenAt(pack, edt, at(now))).toBe(true);
    expect(next(frontDoor, now)).toBe('2026-05-05T07:00:00.000Z');
    expect(openIntervals(pack, edt, '2026-05-04')).toEqual([[0, 1440]]);
  });

  it('a bank holiday, then a weekend, then a bank holiday: Good Friday 2026 opens on Tuesday', () => {
    expect(next(frontDoor, '2026-04-02T17:00:00+01:00')).toBe('2026-04-07T07:00:00.000Z');
    expect(next(frontDoor, '2026-04-03T10:00:00+01:00')).toBe('2026-04-07T07:00:00.000Z');
  });

  it('Christmas: from Christmas Eve evening 2026 the front door next opens on Tuesday 29 December', () => {
    expect(next(frontDoor, '2026-12-24T17:30:00+00:00')).toBe('2026-12-29T08:00:00.000Z');
  });

  it('Boxing Day 2025 (a Friday) is followed by the weekend: Monday 29 December 08:00', () => {
    expect(isOpenAt(pack, frontDoor, at('2025-12-26T10:00:00+00:00'))).toBe(false);
    expect(next(frontDoor, '2025-12-26T10:00:00+00:00')).toBe('2025-12-29T08:00:00.000Z');
  });

  it('across the clocks going forward: Saturday night GMT to Monday 08:00 BST', () => {
    expect(next(frontDoor, '2026-03-28T23:30:00+00:00')).toBe('2026-03-30T07:00:00.000Z');
    expect(next(nspcc, '2026-03-28T23:30:00+00:00')).toBe('2026-03-29T08:00:00.000Z');
  });

  it('across the clocks going back: Friday evening BST to Monday 08:00 GMT', () => {
    expect(next(frontDoor, '2026-10-23T17:30:00+01:00')).toBe('2026-10-26T08:00:00.000Z');
  });

  it('the duty team is open exactly when the front door is closed, at every quarter hour of a week', () => {
    const start = Date.parse('2026-05-01T00:00:00+01:00'); // includes the 4 May bank holiday
    for (let ms = start; ms < start + 7 * 24 * 3600_000; ms += 15 * 60_000) {
      const now = new Date(ms);
      expect(isOpenAt(pack, edt, now)).toBe(!isOpenAt(pack, frontDoor, now));
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
