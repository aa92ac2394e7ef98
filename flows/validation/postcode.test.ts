import fc from 'fast-check';
import { normalisePostcode, validatePostcode } from './postcode';

const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const secondLetter = fc.constantFrom(...'ABCDEFGHJKLMNOPQRSTUVWXY'); // the pattern allows no I or Z here
const digit = fc.constantFrom(...'0123456789');
const join = (parts: string[]) => parts.join('');

/** The six outward-code shapes the GOV.UK pattern allows: A9, A99, AA9, AA99, A9A, AA9A. */
const outward = fc.oneof(
  fc.tuple(letter, digit).map(join),
  fc.tuple(letter, digit, digit).map(join),
  fc.tuple(letter, secondLetter, digit).map(join),
  fc.tuple(letter, secondLetter, digit, digit).map(join),
  fc.tuple(letter, digit, letter).map(join),
  fc.tuple(letter, secondLetter, digit, letter).map(join),
);
const inward = fc.tuple(digit, letter, letter).map(join);
const postcode = fc.tuple(outward, inward).map(([out, inw]) => `${out} ${inw}`);

/** The same postcode as people type it: any case, spaces anywhere or nowhere. */
function retyped(canonical: string, lower: boolean[], spaces: string[]): string {
  return [...canonical.replace(' ', '')].map((c, i) => (spaces[i] ?? '') + (lower[i] ? c.toLowerCase() : c)).join('');
}

describe('validatePostcode examples', () => {
  it.each([
    ['GL1 2TG', 'GL1 2TG'],
    ['gl502ab', 'GL50 2AB'],
    ['  Gl50   2aB ', 'GL50 2AB'],
    ['EC1A 1BB', 'EC1A 1BB'],
    ['W1A 0AX', 'W1A 0AX'],
    ['M1 1AE', 'M1 1AE'],
    ['B33 8TH', 'B33 8TH'],
    ['DN55 1PT', 'DN55 1PT'],
    ['gir0aa', 'GIR 0AA'],
  ])('accepts %p as %p', (input, value) => {
    expect(validatePostcode(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', /Please type the full postcode/],
    ['GL1', /part of a postcode/],
    ['GL1 2T', /missing letter/],
    ['GZ1 2TG', /not a UK postcode/],
    ['GI1 2TG', /not a UK postcode/],
    ['GL1 22G', /not a UK postcode/],
    ['GLO1 2TG', /O typed for 0/],
    ['12345', /not a UK postcode/],
  ])('rejects %p with a reason', (input, reason) => {
    const result = validatePostcode(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('validatePostcode properties', () => {
  it('accepts every shape of the pattern however it is typed, and returns one canonical form', () => {
    const flags = fc.array(fc.boolean(), { minLength: 7, maxLength: 7 });
    const gaps = fc.array(fc.constantFrom('', '', ' ', '  ', '\t'), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(postcode, flags, gaps, (canonical, lower, spaces) => {
        expect(validatePostcode(retyped(canonical, lower, spaces))).toEqual({ ok: true, value: canonical });
      }),
    );
  });

  it('normalising twice changes nothing, and a valid value validates to itself', () => {
    fc.assert(
      fc.property(fc.oneof(postcode, fc.string({ maxLength: 12 })), (input) => {
        const once = normalisePostcode(input);
        expect(normalisePostcode(once)).toBe(once);
        const result = validatePostcode(input);
        if (result.ok) expect(validatePostcode(result.value)).toEqual(result);
      }),
    );
  });

  it('rejects an inward code that is not a digit and two letters', () => {
    const badInward = fc.oneof(fc.tuple(letter, letter, letter).map(join), fc.tuple(digit, digit, letter).map(join), fc.tuple(digit, letter, digit).map(join));
    fc.assert(fc.property(outward, badInward, (out, inw) => expect(validatePostcode(`${out} ${inw}`).ok).toBe(false)));
  });

  it('rejects anything without a digit', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ abc'), maxLength: 10 }), (input) => {
        expect(validatePostcode(input).ok).toBe(false);
      }),
    );
  });
});
