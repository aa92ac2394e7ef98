import { randomBytes } from 'node:crypto';
import type { IntelligenceBody, ReferralBodyV1, ReferralBodyV2 } from '../../flows';

/** A fresh client reference, as a turn would make one. */
export function newClientReference(prefix = 'ref'): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/** A complete, valid referral about a synthetic child (synthetic NHS number and UPN; nobody real). */
export function referralBody(overrides: Partial<ReferralBodyV1> = {}): ReferralBodyV1 {
  return {
    schemaVersion: '1',
    clientReference: newClientReference(),
    submittedAt: '2025-06-15T10:00:00Z',
    channel: 'msteams',
    referrer: { name: 'Sam Teacher', role: 'Designated safeguarding lead', organisation: 'Example Academy', email: 'dsl@example.sch.uk' },
    child: {
      firstName: 'Test',
      lastName: 'Example',
      dateOfBirth: '2011-04-02',
      nhsNumber: '9434765919',
      upn: 'M916200024001',
      address: { postcode: 'GL1 2TG' },
      lookedAfter: false,
    },
    concern: { summary: 'Seen getting into cars with older men after school.', categories: ['cse'], immediateDanger: false },
    screening: {
      tool: 'gloucestershire-cse',
      version: '1',
      category: 2,
      indicators: [{ id: 'older-partner', label: 'Relationship with an older person' }],
      rationale: 'Two moderate indicators.',
    },
    consent: { status: 'not-sought', overrideReason: 'would-increase-risk', lawfulBasis: 'UK GDPR Art 6(1)(e); DPA 2018 Sch 1 para 18' },
    urgency: 'same-day',
    ...overrides,
  };
}

/**
 * A valid schemaVersion "2" referral that a version 1 MASH could not take: physical abuse by a parent,
 * no exploitation screening, consent not sought because the child is at risk of harm.
 */
export function referralBodyV2(overrides: Partial<ReferralBodyV2> = {}): ReferralBodyV2 {
  const v1 = referralBody();
  return {
    schemaVersion: '2',
    clientReference: newClientReference(),
    submittedAt: v1.submittedAt,
    channel: v1.channel,
    referrer: v1.referrer,
    child: { ...v1.child, dateOfBirth: '2012-09-01' },
    concern: { summary: 'Red marks on her arms; she says her dad hit her with a belt last night.', categories: ['physical-abuse'], immediateDanger: false },
    consent: {
      status: 'not-sought',
      overrideReason: 'risk-of-harm',
      lawfulBasis: 'UK GDPR Art 6(1)(e); Art 9(2)(g) with DPA 2018 s10(3) and Sch 1 para 18',
      lawfulBasisCodes: ['uk-gdpr-6-1-e', 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18', 'dpa-s10-5+sch1-p18+pt3-p36'],
    },
    urgency: 'same-day',
    guidanceVersion: '0.1.0',
    triage: { overrides: [], steps: ['mash-today', 'strategy-discussion', 'do-not-tell-parent'] },
    ...overrides,
  };
}

/**
 * A version 2 referral with every field a multi-agency referral form asks (issue 21), synthetic: a
 * child exploitation referral with a household, a person of concern and another agency.
 */
export function referralBodyV2Marf(overrides: Partial<ReferralBodyV2> = {}): ReferralBodyV2 {
  const v1 = referralBody();
  return {
    ...referralBodyV2(),
    referrer: { ...v1.referrer, phone: '01632 960001', availability: 'Weekdays 8am to 4pm; after 4pm ring the school office.' },
    child: {
      ...v1.child,
      dateOfBirth: '2012-09-01',
      knownAs: 'Testy',
      ethnicity: 'unknown',
      religion: 'None',
      firstLanguage: 'English',
      interpreterNeeded: false,
      communicationNeeds: 'Prefers short questions, one at a time.',
      disability: 'unknown',
    },
    concern: { summary: 'Seen getting into cars with older men after school; new phone and clothes.', categories: ['cse'], immediateDanger: false },
    screening: v1.screening,
    household: [
      { name: 'Test Parent', relationship: 'Mother', ageYears: 38, parentalResponsibility: true },
      {
        name: 'Test Carer',
        relationship: "Mother's partner",
        dateOfBirth: '1985-01-01',
        address: { line1: '1 Example Road', postcode: 'GL1 1AA' },
        phone: '01632 960002',
        parentalResponsibility: 'unknown',
      },
    ],
    familyAware: 'no',
    reasonNotTold: 'Telling the mother first could warn her partner, who is linked to the men.',
    views: { child: 'Says the men are her friends and she is fine.', parents: 'Not asked yet.' },
    childsWords: '"They buy me stuff, it\'s not a big deal."',
    confidentialFromFamily: { what: 'That the school saw the car.', why: "Her mother's partner knows the driver." },
    personsOfConcern: [
      {
        name: 'Test Man (known as "T")',
        description: 'White man, about 25, short dark hair.',
        approximateAge: 25,
        phones: ['01632 960003'],
        vehicles: [{ make: 'Hatchback', colour: 'Silver', registration: 'AB12 CDE' }],
        socialMedia: ['@test_handle_example'],
        places: [{ description: 'Flat above the takeaway', postcode: 'GL1 2TG' }],
      },
    ],
    locations: [{ description: 'Bus station, after school' }],
    agencyContacts: [{ agency: 'School nursing', worker: 'Test Nurse', phone: '01632 960004', email: 'nurse@example.nhs.uk' }],
    otherAgencies: ['CAMHS'],
    actionsTaken: 'Spoke to the child; logged on the school system; told the DSL.',
    policeReference: 'EX-0000-TEST',
    householdReference: 'HH-0123456789AB',
    ...overrides,
  };
}

/** Valid partnership intelligence (VOLT), synthetic. */
export function intelligenceBody(overrides: Partial<IntelligenceBody> = {}): IntelligenceBody {
  return {
    schemaVersion: '1',
    clientReference: newClientReference('intel'),
    submittedAt: '2025-06-15T10:00:00Z',
    channel: 'webchat',
    source: { name: 'Jo Worker', role: 'Youth worker', organisation: 'Example Youth Service', email: 'jo@example.org.uk' },
    summary: 'Young people gathering at a takeaway late at night, adults handing out vapes.',
    volt: { locations: 'Takeaway near the bus station', vehicles: 'Silver hatchback, partial plate AB12', themes: ['cse', 'cce'] },
    ...overrides,
  };
}
