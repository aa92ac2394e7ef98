import { referralBodySchema } from '../flows';
import { referralBody, referralBodyV2 } from './support/mashFixtures';

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

describe('referralBodySchema version 2', () => {
  it('accepts a referral that is not about exploitation without a screening', () => {
    expect(pathsOf(referralBodyV2())).toEqual([]);
  });

  it('needs a screening with an exploitation category, not with missing alone', () => {
    expect(pathsOf(referralBodyV2({ concern: { ...referralBodyV2().concern, categories: ['physical-abuse', 'cce'] } }))).toEqual(['screening']);
    expect(pathsOf(referralBodyV2({ concern: { ...referralBodyV2().concern, categories: ['missing'] } }))).toEqual([]);
    expect(pathsOf(referralBodyV2({ concern: { ...referralBodyV2().concern, categories: ['cce'] }, screening: referralBody().screening }))).toEqual([]);
  });

  it('takes child-on-child and still accepts peer-on-peer', () => {
    expect(pathsOf(referralBodyV2({ concern: { ...referralBodyV2().concern, categories: ['child-on-child'] } }))).toEqual([]);
    expect(pathsOf(referralBodyV2({ concern: { ...referralBodyV2().concern, categories: ['peer-on-peer'] } }))).toEqual([]);
    expect(pathsOf(referralBody({ concern: { ...referralBody().concern, categories: ['peer-on-peer'] } }))).toEqual([]);
  });

  it('keeps version 1 exactly as it was: no version 2 value, field or missing screening', () => {
    const v1 = referralBody();
    expect(pathsOf({ ...v1, concern: { ...v1.concern, categories: ['child-on-child'] } })).toEqual(['concern.categories.0']);
    expect(pathsOf({ ...v1, consent: { ...v1.consent, overrideReason: 'risk-of-harm' } })).toEqual(['consent.overrideReason']);
    expect(pathsOf({ ...v1, consent: { ...v1.consent, lawfulBasisCodes: ['uk-gdpr-6-1-e'] } })).toEqual(['consent']);
    expect(pathsOf({ ...v1, guidanceVersion: '0.1.0' })).toEqual(['']);
    const { screening: _gone, ...noScreening } = v1;
    expect(pathsOf(noScreening)).toEqual(['screening']);
  });

  it('checks lawful basis codes by shape and needs the pack version', () => {
    expect(pathsOf(referralBodyV2({ consent: { ...referralBodyV2().consent, lawfulBasisCodes: ['Public task'] } }))).toEqual(['consent.lawfulBasisCodes.0']);
    const { guidanceVersion: _gone, ...noVersion } = referralBodyV2();
    expect(pathsOf(noVersion)).toEqual(['guidanceVersion']);
  });
});
