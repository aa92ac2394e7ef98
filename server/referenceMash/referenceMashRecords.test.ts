import { canonicalHash } from './canonicalHash';
import { ageBandOf } from './referenceMashRecords';

describe('ageBandOf', () => {
  const at = new Date('2026-03-01T12:00:00Z');
  it.each([
    [{ dateOfBirth: '2013-03-01' }, '13 to 15'], // thirteenth birthday today
    [{ dateOfBirth: '2013-03-02' }, '10 to 12'], // tomorrow
    [{ dateOfBirth: '2008-02-29' }, '18 to 25'],
    [{ dateOfBirth: '2021-06-01' }, 'under 5'],
    [{ ageYears: 9 }, '5 to 9'],
    [{ ageYears: 17 }, '16 to 17'],
    [{}, 'unknown'],
    [{ dateOfBirth: '2027-01-01' }, 'unknown'],
  ])('%j on 2026-03-01 is %s', (child, band) => {
    expect(ageBandOf(child, at)).toBe(band);
  });
});

describe('canonicalHash', () => {
  it('ignores key order at every level, not array order or values', () => {
    const a = { x: 1, y: { p: [1, 2], q: 'z' } };
    expect(canonicalHash(a)).toBe(canonicalHash({ y: { q: 'z', p: [1, 2] }, x: 1 }));
    expect(canonicalHash(a)).not.toBe(canonicalHash({ x: 1, y: { p: [2, 1], q: 'z' } }));
    expect(canonicalHash(a)).not.toBe(canonicalHash({ x: '1', y: { p: [1, 2], q: 'z' } }));
  });
});
