import fc from 'fast-check';
import { isTemporaryUpn, upnCheckLetter, upnCheckLetters, validateUpn } from './upn';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const tableLetter = fc.constantFrom(...upnCheckLetters);
/** LA (3) + establishment (4) + year (2) + serial (3), the serial of a temporary UPN ending in a letter. */
const upnTail = fc.oneof(
  digits(12),
  fc.tuple(digits(11), tableLetter).map(([d, l]) => d + l),
);
const validUpn = upnTail.map((tail) => `${upnCheckLetter(tail)}${tail}`);

describe('validateUpn examples', () => {
  it('works the check letter out by hand', () => {
    // 9*2 + 1*3 + 6*4 + 2*5 + 0*6 + 0*7 + 0*8 + 2*9 + 4*10 + 0*11 + 0*12 + 1*13 = 126; 126 mod 23 = 11 → M.
    expect(upnCheckLetter('916200024001')).toBe('M');
    expect(validateUpn('M916200024001')).toEqual({ ok: true, value: 'M916200024001' });
  });

  it('accepts a temporary UPN, whose final letter counts with its table value', () => {
    // As above but 0*12 + A(0)*13 instead of 1*13: 113 mod 23 = 21 → Y.
    expect(validateUpn('Y91620002400A')).toEqual({ ok: true, value: 'Y91620002400A' });
    expect(isTemporaryUpn('Y91620002400A')).toBe(true);
    expect(isTemporaryUpn('M916200024001')).toBe(false);
  });

  it('ignores case and spaces', () => {
    expect(validateUpn(' m916 2000 24 001 ')).toEqual({ ok: true, value: 'M916200024001' });
  });

  it.each([
    ['N916200024001', /check letter/],
    ['M91620002400', /13 characters.*that has 12/],
    ['M9162O0024001', /never use the letters I, O or S/],
    ['M91620002400S', /never use the letters I, O or S/],
    ['9916200024001', /a letter, 11 digits/],
    ['', /Please type/],
  ])('rejects %p with a reason', (input, reason) => {
    const result = validateUpn(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('validateUpn properties', () => {
  it('accepts exactly one of the 23 check letters for any tail', () => {
    fc.assert(
      fc.property(upnTail, (tail) => {
        expect([...upnCheckLetters].filter((letter) => validateUpn(letter + tail).ok)).toHaveLength(1);
      }),
    );
  });

  it('catches every single changed character after the check letter', () => {
    fc.assert(
      fc.property(validUpn, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 22 }), (upn, position, shift) => {
        const current = upn[position];
        const alphabet = /\d/.test(current) ? '0123456789' : upnCheckLetters;
        const replacement = alphabet[(alphabet.indexOf(current) + shift) % alphabet.length];
        fc.pre(replacement !== current);
        expect(validateUpn(upn.slice(0, position) + replacement + upn.slice(position + 1)).ok).toBe(false);
      }),
    );
  });

  it('catches every swap of two neighbouring different digits', () => {
    fc.assert(
      fc.property(validUpn, fc.integer({ min: 1, max: 10 }), (upn, i) => {
        fc.pre(upn[i] !== upn[i + 1]);
        expect(validateUpn(upn.slice(0, i) + upn[i + 1] + upn[i] + upn.slice(i + 2)).ok).toBe(false);
      }),
    );
  });

  it('gives the same answer whatever the case and spacing', () => {
    fc.assert(
      fc.property(
        validUpn,
        fc.array(fc.boolean(), { minLength: 13, maxLength: 13 }),
        fc.array(fc.constantFrom('', ' '), { minLength: 13, maxLength: 13 }),
        (upn, lower, spaces) => {
          const typed = [...upn].map((c, i) => spaces[i] + (lower[i] ? c.toLowerCase() : c)).join('');
          expect(validateUpn(typed)).toEqual({ ok: true, value: upn });
        },
      ),
    );
  });

  it('never throws on any input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), (input) => expect(typeof validateUpn(input).ok).toBe('boolean')));
  });
});
