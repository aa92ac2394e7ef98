import { loadDefaultPack } from '../content/loadPack';
import { buildIntelligenceBody } from '../machines/intelligence/intelligenceBody';
import { buildReferralBody, consentChoices, filedCategories, hasVersion2Fields, referralAuditExtras, referralEffects } from '../machines/referral/referralBody';
import { screeningSummary } from '../machines/referral/referralTestKit';
import { channelOf, clientReferenceSchema, consentSchema, consentV2Schema, marfFieldsSchema, referralBodyV1Schema, referralBodyV2Schema, type MarfFields } from './contract';
import { intelligenceBodySchema } from './contractMessages';
import { clientReferenceOf } from './reference';

describe('the MASH intake contract', () => {
  it('maps every consent choice to a status and reason the contract accepts (risk of harm only in version 2)', () => {
    for (const [value, choice] of Object.entries(consentChoices)) {
      const consent = { ...choice, lawfulBasis: 'public task' };
      expect(consentV2Schema.safeParse(consent).success).toBe(true);
      expect(consentSchema.safeParse(consent).success).toBe(value !== 'not-sought-risk-of-harm');
    }
  });

  it('files Teams as msteams and every other channel as webchat', () => {
    expect(['msteams', 'webchat', 'emulator', 'directline', 'test', undefined].map(channelOf)).toEqual(['msteams', 'webchat', 'webchat', 'webchat', 'webchat', 'webchat']);
  });

  it('makes client references the contract accepts as an Idempotency-Key', () => {
    const reference = clientReferenceOf('SG', { answers: { a: 1 }, at: '2026-03-02T10:00:00.000Z', ref: 'k', counter: 1 });
    expect(reference).toMatch(/^SG-[0-9A-F]{12}$/);
    expect(clientReferenceSchema.safeParse(reference).success).toBe(true);
    expect(clientReferenceOf('SG', { answers: { a: 1 }, at: '2026-03-02T10:00:00.000Z', ref: 'k', counter: 2 })).not.toBe(reference);
  });
});

describe('bodies built by the flows', () => {
  const pack = loadDefaultPack();
  const submission = { clientReference: 'SG-0123456789AB', at: '2026-03-02T10:00:00.000Z' };
  const answers = {
    'ref-child-first-name': 'Test',
    'ref-child-last-name': 'Child',
    'ref-child-dob': 'unknown',
    'ref-child-age': 17,
    'ref-child-nhs': 'skip',
    'ref-child-upn': 'M916200024001',
    'ref-child-postcode': 'GL1 2TG',
    'ref-child-school': 'skip',
    'ref-concern-summary': 'Missing twice this month, seen at a trap house.',
    'ref-consent-status': 'refused-overridden-refusal',
    'ref-referrer-role': 'Youth worker',
    'ref-referrer-org': 'Youth service',
    'ref-referrer-email': 'y@youth.org.uk',
    'ref-referrer-name': 'Jo Bloggs',
  };

  it('satisfies referralBodySchema, with categories from the strong signs of the screening and looked-after from it', () => {
    const screening = screeningSummary({ indicators: ['missing-regular', 'trafficked', 'offending'], vulnerabilities: ['gang-affected'], lookedAfterElsewhere: true });
    const body = buildReferralBody(pack, { answers, by: { channelId: 'emulator' }, screening }, submission);
    expect(referralBodyV1Schema.parse(body)).toEqual(body);
    expect(body).toMatchObject({
      schemaVersion: '1',
      channel: 'webchat',
      child: { ageYears: 17, upn: 'M916200024001', address: { postcode: 'GL1 2TG' }, lookedAfter: true },
      // "Getting involved in crime" alone is not criminal exploitation (W7): no cce without coercion.
      concern: { categories: ['missing', 'trafficking', 'gangs'] },
      consent: { status: 'refused', overrideReason: 'overridden-refusal' },
    });
  });

  it("becomes version 2 when the draft carries MARF answers, with them copied in; the referrer's phone alone stays version 1", () => {
    const screening = screeningSummary();
    const marf: MarfFields = marfFieldsSchema.parse({
      referrer: { phone: '01632 960001', availability: 'Mornings' },
      child: { knownAs: 'Testy', interpreterNeeded: 'unknown' },
      household: [{ name: 'Test Parent', relationship: 'Mother', parentalResponsibility: true }],
      familyAware: 'no',
      reasonNotTold: 'Her mother would warn the man.',
      personsOfConcern: [{ name: 'T', vehicles: [{ colour: 'Silver' }] }],
      locations: [],
    });
    const body = buildReferralBody(pack, { answers, by: { channelId: 'msteams' }, screening, marf }, submission);
    expect(referralBodyV2Schema.parse(body)).toEqual(body);
    expect(body).toMatchObject({
      schemaVersion: '2',
      referrer: { name: 'Jo Bloggs', phone: '01632 960001', availability: 'Mornings' },
      child: { firstName: 'Test', knownAs: 'Testy', interpreterNeeded: 'unknown' },
      household: marf.household,
      familyAware: 'no',
      reasonNotTold: 'Her mother would warn the man.',
      personsOfConcern: marf.personsOfConcern,
    });
    // An empty list is no answer: nothing to send.
    expect(body).not.toHaveProperty('locations');

    const phoneOnly = buildReferralBody(pack, { answers, screening, marf: { referrer: { phone: '01632 960001' }, locations: [] } }, submission);
    expect(referralBodyV1Schema.parse(phoneOnly)).toEqual(phoneOnly);
    expect(phoneOnly.referrer.phone).toBe('01632 960001');
    expect([undefined, {}, { referrer: { phone: '01632 960001' } }, { household: [] }, { views: {} }].map((m) => hasVersion2Fields(m as MarfFields))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(hasVersion2Fields({ actionsTaken: 'Told the DSL.' })).toBe(true);
  });

  describe('persons of concern (criminal offence data)', () => {
    const screening = screeningSummary();
    const marf: MarfFields = {
      personsOfConcern: [
        {
          name: 'Test Man',
          description: 'Tall, drives a silver car',
          phones: ['01632 960003'],
          vehicles: [{ make: 'Hatchback', colour: 'Silver', registration: 'AB12 CDE' }],
          socialMedia: ['@test_handle_example'],
          places: [{ description: 'Flat above the takeaway', postcode: 'GL1 2TG' }],
        },
      ],
      locations: [{ description: 'Bus station', postcode: 'GL1 1AA' }, { description: 'The park' }],
      household: [{ name: 'Test Parent', relationship: 'Mother' }],
      childsWords: 'They buy me stuff',
    };
    const draft = { answers, by: { channelId: 'msteams' }, screening, marf };

    it('names the Art 10 route in the consent record and the audit (guidance rules §3: Sch 1 para 18 via Pt 3 para 36)', () => {
      const body = buildReferralBody(pack, draft, submission);
      const art10 = 'dpa-s10-5+sch1-p18+pt3-p36';
      expect(body.consent).toMatchObject({ lawfulBasisCodes: [art10] });
      expect(body.consent.lawfulBasis).toMatch(/criminal offence data: DPA 2018 section 10\(5\), Schedule 1 paragraph 18 through Part 3 paragraph 36/);
      expect(referralAuditExtras(pack, draft).lawfulBasisCodes).toEqual([art10]);
      // Without persons of concern the basis is as before: the pack's words, no codes (the org kind was not asked).
      expect(buildReferralBody(pack, { ...draft, marf: { childsWords: 'x' } }, submission).consent).not.toHaveProperty('lawfulBasisCodes');
      // With the sharing flow's codes (the kind of organisation known) the route is already there, once.
      const withKind = referralBodyV2Schema.parse(buildReferralBody(pack, { ...draft, answers: { ...answers, 'share-org-kind': 'other-organisation' } }, submission));
      expect(withKind.consent.lawfulBasisCodes?.filter((c) => c === art10)).toEqual([art10]);
    });

    it('gives partnership insight only counts, postcode districts and categories: nothing typed reaches the audit record', () => {
      const body = buildReferralBody(pack, draft, submission);
      const audit = referralEffects(body, 'scr-1', 'school', referralAuditExtras(pack, draft)).find((e) => e.kind === 'audit.append')!;
      expect(audit.payload).toMatchObject({ volt: { persons: 1, vehicles: 1, places: 3, districts: ['GL1'] }, concernCategories: body.concern.categories });
      const written = JSON.stringify(audit);
      for (const typed of [
        'Test Man',
        'Tall',
        '01632 960003',
        'AB12 CDE',
        'Hatchback',
        'Silver',
        '@test_handle',
        'takeaway',
        'Bus station',
        'GL1 2TG',
        'GL1 1AA',
        'Test Parent',
        'They buy me',
      ]) {
        expect({ typed, found: written.includes(typed) }).toEqual({ typed, found: false });
      }
    });
  });

  it('refuses MARF answers that leave the family untold without a reason', () => {
    const refused = marfFieldsSchema.safeParse({ familyAware: 'no' });
    expect(refused.error?.issues).toEqual([expect.objectContaining({ path: ['reasonNotTold'], message: 'is required when familyAware is "no"' })]);
  });

  it('files a screening whose indicators point to no category as "other"', () => {
    expect(filedCategories(pack.referral!, screeningSummary({ category: 0, urgency: 'routine', indicators: [], vulnerabilities: [] }), undefined).categories).toEqual(['other']);
  });

  it('builds intelligence that satisfies intelligenceBodySchema', () => {
    const body = buildIntelligenceBody(
      pack,
      {
        answers: {
          'intel-victims': 'skip',
          'intel-offenders': 'Man called Jay',
          'intel-locations': 'x'.repeat(2000),
          'intel-themes': [],
          'ref-referrer-role': 'DSL',
          'ref-referrer-org': 'Test School',
          'ref-referrer-email': 'a@b.uk',
          'ref-referrer-name': 'A B',
        },
        by: { channelId: 'msteams' },
      },
      submission,
    );
    expect(intelligenceBodySchema.parse(body)).toEqual(body);
    expect(body.volt).toEqual({ offenders: 'Man called Jay', locations: 'x'.repeat(2000), themes: ['other'] });
  });
});
