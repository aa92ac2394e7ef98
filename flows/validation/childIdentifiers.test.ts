import { childIdentifiersOf, validateNhsNumberOrUpn } from './childIdentifiers';

describe('the NHS number and UPN in one answer (issue 21 item 7)', () => {
  it('takes either or both, in any order, with the words people put between them', () => {
    expect(validateNhsNumberOrUpn('943 476 5919')).toEqual({ ok: true, value: '9434765919' });
    expect(validateNhsNumberOrUpn('m916200024001')).toEqual({ ok: true, value: 'M916200024001' });
    expect(validateNhsNumberOrUpn('NHS 943 476 5919 and UPN M916200024001')).toEqual({ ok: true, value: '9434765919 M916200024001' });
    expect(validateNhsNumberOrUpn('M916200024001, 943 476 5919')).toEqual({ ok: true, value: '9434765919 M916200024001' });
    expect(childIdentifiersOf('9434765919 M916200024001')).toEqual({ nhs: '9434765919', upn: 'M916200024001' });
  });

  it('checks each as its own question does, with the reason', () => {
    const reasonOf = (text: string) => {
      const result = validateNhsNumberOrUpn(text);
      return result.ok ? undefined : result.reason;
    };
    expect(reasonOf('943 476 5918')).toMatch(/check digit/);
    expect(reasonOf('943 476 5919 A916200024001')).toMatch(/check letter/);
    expect(validateNhsNumberOrUpn('not known yet')).toMatchObject({ ok: false });
  });
});
