import { referralBodySchema } from './referralSchema';
import { referralBody } from '../../test/support/mashFixtures';

const pathsOf = (value: unknown) => {
  const parsed = referralBodySchema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
};

describe('referralBodySchema', () => {
  it('accepts a complete referral', () => {
    expect(pathsOf(referralBody())).toEqual([]);
  });

  it('accepts an age instead of a date of birth, but not both nor neither', () => {
    const { dateOfBirth: _dob, ...withoutDob } = referralBody().child;
    expect(pathsOf(referralBody({ child: { ...withoutDob, ageYears: 14 } }))).toEqual([]);
    expect(pathsOf(referralBody({ child: { ...referralBody().child, ageYears: 14 } }))).toEqual(['child.dateOfBirth']);
    expect(pathsOf(referralBody({ child: withoutDob }))).toEqual(['child.dateOfBirth']);
  });

  it('requires a reason to share without consent, and none when consent was given', () => {
    expect(pathsOf(referralBody({ consent: { status: 'refused', lawfulBasis: 'public task' } }))).toEqual(['consent.overrideReason']);
    expect(pathsOf(referralBody({ consent: { status: 'given', lawfulBasis: 'consent' } }))).toEqual([]);
  });

  it('checks identifiers, not just their shape', () => {
    const child = referralBody().child;
    expect(pathsOf(referralBody({ child: { ...child, nhsNumber: '9434765918' } }))).toEqual(['child.nhsNumber']);
    expect(pathsOf(referralBody({ child: { ...child, upn: 'N916200024001' } }))).toEqual(['child.upn']);
    expect(pathsOf(referralBody({ child: { ...child, address: { postcode: 'gl1 2tg' } } }))).toEqual(['child.address.postcode']);
  });

  it('keeps to the limits of the contract', () => {
    expect(pathsOf(referralBody({ concern: { summary: 'too short', categories: ['cse'], immediateDanger: false } }))).toEqual(['concern.summary']);
    expect(pathsOf(referralBody({ concern: { summary: 'long enough summary', categories: [], immediateDanger: false } }))).toEqual(['concern.categories']);
    expect(pathsOf({ ...referralBody(), screening: { ...referralBody().screening, category: 5 } })).toEqual(['screening.category']);
    expect(pathsOf({ ...referralBody(), clientReference: 'has spaces in it' })).toEqual(['clientReference']);
  });

  it('refuses unknown fields rather than silently dropping them', () => {
    expect(pathsOf({ ...referralBody(), child: { ...referralBody().child, dob: '2011-04-02' } })).toEqual(['child']);
  });
});
