import fc from 'fast-check';
import { ageOn, londonDateOf, maxAgeYears, validateAgeYears, validateDateOfBirth } from './dateOfBirth';

const today = '2025-06-15';

describe('validateDateOfBirth examples', () => {
  it.each([
    ['14/03/2012', '2012-03-14'],
    ['2012-03-14', '2012-03-14'],
    ['1.2.2010', '2010-02-01'],
    ['2025-06-15', '2025-06-15'],
    ['16/06/1999', '1999-06-16'],
    ['03/05/2012', '2012-05-03'],
    ['3 May 2012', '2012-05-03'],
    ['3rd May 2012', '2012-05-03'],
    ['03-May-2012', '2012-05-03'],
    ['3 sept, 2012', '2012-09-03'],
    ['21st of December 2010', '2010-12-21'],
    ['1 Feb. 2010', '2010-02-01'],
  ])('accepts %p as %p', (input, value) => {
    expect(validateDateOfBirth(input, today)).toEqual({ ok: true, value });
  });

  it.each([
    ['16/06/2025', /in the future/],
    ['15/06/1999', /makes them 26/],
    ['31/02/2012', /does not exist/],
    ['14/03/12', /year in full/],
    ['next tuesday', /day\/month\/year/],
    ['3 Mayday 2012', /day\/month\/year/],
    ['3 Ma 2012', /day\/month\/year/],
    ['31 April 2012', /does not exist/],
    ['3 May 12', /year in full/],
  ])('rejects %p with a reason', (input, reason) => {
    const result = validateDateOfBirth(input, today);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('reads an instant as the UK calendar date (BST runs an hour ahead of UTC in summer)', () => {
    expect(londonDateOf(new Date('2025-06-14T23:30:00Z'))).toBe('2025-06-15');
    expect(validateDateOfBirth('15/06/2025', new Date('2025-06-14T23:30:00Z')).ok).toBe(true);
    expect(londonDateOf(new Date('2025-01-14T23:30:00Z'))).toBe('2025-01-14');
  });

  it('ages someone born on 29 February on 1 March in other years', () => {
    expect(ageOn('2008-02-29', '2025-02-28')).toBe(16);
    expect(ageOn('2008-02-29', '2025-03-01')).toBe(17);
  });
});

describe('validateDateOfBirth properties', () => {
  const day = 24 * 3600 * 1000;
  const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const todayMs = Date.parse(`${today}T00:00:00Z`);

  it('accepts every real date from 26 years ago (exclusive) to today, in either format', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 26 * 366 }), fc.boolean(), (daysAgo, ukOrder) => {
        const iso = isoDay(todayMs - daysAgo * day);
        const typed = ukOrder ? iso.split('-').reverse().join('/') : iso;
        const result = validateDateOfBirth(typed, today);
        expect(result.ok).toBe(ageOn(iso, today) <= maxAgeYears);
        if (result.ok) expect(result.value).toBe(iso);
      }),
    );
  });

  it('rejects every date after today', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4000 }), (daysAhead) => expect(validateDateOfBirth(isoDay(todayMs + daysAhead * day), today).ok).toBe(false)));
  });

  it('turns 26 exactly on the 26th birthday', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20000 }), (offset) => {
        const birth = isoDay(Date.parse('1990-01-01T00:00:00Z') + offset * day);
        const [y, m, d] = birth.split('-');
        const birthday = `${Number(y) + 26}-${m}-${d}`;
        fc.pre(!Number.isNaN(Date.parse(birthday)) && birth.slice(5) !== '02-29');
        expect(validateDateOfBirth(birth, birthday).ok).toBe(false);
        expect(validateDateOfBirth(birth, isoDay(Date.parse(birthday) - day)).ok).toBe(true);
      }),
    );
  });
});

describe('validateAgeYears', () => {
  it('accepts whole years from 0 to 25', () => {
    expect(validateAgeYears('14')).toEqual({ ok: true, value: 14 });
    expect(validateAgeYears(0)).toEqual({ ok: true, value: 0 });
    expect(validateAgeYears(' 25 ')).toEqual({ ok: true, value: 25 });
  });

  it.each(['26', '-1', '14.5', 'fourteen', ''])('rejects %p', (input) => expect(validateAgeYears(input).ok).toBe(false));
});
