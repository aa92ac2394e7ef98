import fc from 'fast-check';
import { validateEmail } from './email';

describe('validateEmail', () => {
  it.each([
    ['name@school.gov.uk', 'name@school.gov.uk'],
    ['  Jo.Bloggs@Gloucestershire.GOV.UK ', 'Jo.Bloggs@gloucestershire.gov.uk'],
    ["o'brien+mash@nhs.net", "o'brien+mash@nhs.net"],
  ])('accepts %p as %p (domain lower-cased, mailbox kept)', (input, value) => {
    expect(validateEmail(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', /Please type/],
    ['name.school.gov.uk', /needs an @/],
    ['name @school.gov.uk', /no spaces/],
    ['@school.gov.uk', /before the @/],
    ['jo..bloggs@school.gov.uk', /double dot/],
    ['name@localhost', /needs a dot/],
    ['name@school_1.gov.uk', /letters, digits, dots and dashes/],
    ['name@school.gov.u', /end in a domain/],
    ['name@-school.uk', /letters, digits, dots and dashes/],
  ])('rejects %p with a reason', (input, reason) => {
    const result = validateEmail(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('accepts what fast-check generates as an email address, and the result validates to itself', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        const result = validateEmail(address);
        if (result.ok) expect(validateEmail(result.value)).toEqual(result);
      }),
    );
  });
});
