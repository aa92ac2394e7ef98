import fc from 'fast-check';
import { nhsCheckDigit, validateNhsNumber } from './nhsNumber';

const digit = fc.integer({ min: 0, max: 9 });
const nineDigits = fc.array(digit, { minLength: 9, maxLength: 9 }).map((d) => d.join(''));
const validNhsNumber = nineDigits.filter((prefix) => nhsCheckDigit(prefix) !== undefined).map((prefix) => `${prefix}${nhsCheckDigit(prefix)}`);

describe('validateNhsNumber examples', () => {
  it('accepts the synthetic example, with or without spaces and dashes', () => {
    for (const input of ['9434765919', '943 476 5919', ' 943-476-5919 ']) {
      expect(validateNhsNumber(input)).toEqual({ ok: true, value: '9434765919' });
    }
  });

  it('works the check digit out by hand: weights 10..2, 11 - (sum mod 11)', () => {
    // 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299; 299 mod 11 = 2; 11 - 2 = 9.
    expect(nhsCheckDigit('943476591')).toBe(9);
  });

  it.each([
    ['9434765918', /does not add up/],
    ['943476591', /10 digits; that has 9/],
    ['94347659190', /10 digits; that has 11/],
    ['943476591X', /digits only/],
    ['', /Please type/],
  ])('rejects %p with a reason', (input, reason) => {
    const result = validateNhsNumber(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('rejects nine digits whose check would be 10 (never issued)', () => {
    // Only the ninth digit counts: 6 * 2 = 12; 12 mod 11 = 1; 11 - 1 = 10, which is never issued.
    expect(nhsCheckDigit('000000006')).toBeUndefined();
    const result = validateNhsNumber('0000000060');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/no NHS number starts with those nine digits/);
  });
});

describe('validateNhsNumber properties', () => {
  it('accepts exactly one final digit for each nine-digit start (none when the check would be 10)', () => {
    fc.assert(
      fc.property(nineDigits, (prefix) => {
        const accepted = [...'0123456789'].filter((last) => validateNhsNumber(prefix + last).ok);
        expect(accepted).toHaveLength(nhsCheckDigit(prefix) === undefined ? 0 : 1);
      }),
    );
  });

  it('catches every single mistyped digit', () => {
    fc.assert(
      fc.property(validNhsNumber, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (nhs, position, shift) => {
        const changed = String((Number(nhs[position]) + shift) % 10);
        const typo = nhs.slice(0, position) + changed + nhs.slice(position + 1);
        expect(validateNhsNumber(typo).ok).toBe(false);
      }),
    );
  });

  it('catches every swap of two neighbouring different digits', () => {
    fc.assert(
      fc.property(validNhsNumber, fc.integer({ min: 0, max: 8 }), (nhs, i) => {
        fc.pre(nhs[i] !== nhs[i + 1]);
        const swapped = nhs.slice(0, i) + nhs[i + 1] + nhs[i] + nhs.slice(i + 2);
        expect(validateNhsNumber(swapped).ok).toBe(false);
      }),
    );
  });

  it('ignores spaces and dashes anywhere, and returns the ten digits', () => {
    const separator = fc.constantFrom('', ' ', '  ', '-', ' - ');
    fc.assert(
      fc.property(validNhsNumber, fc.array(separator, { minLength: 11, maxLength: 11 }), (nhs, seps) => {
        const typed = [...nhs].map((d, i) => seps[i] + d).join('') + seps[10];
        expect(validateNhsNumber(typed)).toEqual({ ok: true, value: nhs });
      }),
    );
  });

  it('never throws, and never repeats the value in its reason', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (input) => {
        const result = validateNhsNumber(input);
        if (!result.ok && input.trim().length >= 4) expect(result.reason).not.toContain(input.trim());
      }),
    );
  });
});
