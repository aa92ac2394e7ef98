import { expect } from '@jest/globals';
import { referralBodySchema } from '../../referral/contract';
import { answerUntil, conversation, signedIn, toReferrerPhone, triageChild, typedChild as theChild } from './referralTestKit';

/*
 * Issue 21 item 2: the optional sections typed question by question, one entry per message until
 * "that's all", each landing in the referral's MARF fields and on the check-your-answers summary.
 */

const toSections = toReferrerPhone;

const bodyOf = (c: ReturnType<typeof conversation>) => referralBodySchema.parse(c.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body);

describe('the MARF questions by text (issue 21)', () => {
  it('fills every section entry by entry, shows each on the check, and files them as the MARF fields', () => {
    const c = toSections();
    c.answer('01632 960123', 'Yes, but some things must not be shared with them', 'Where she goes after school, because she fears her stepfather.');
    c.answer('She wants it to stop but is scared. She said "he buys me things".');
    // Her own words were quoted in her views, so they are not asked for again.
    // Straight to the check, which offers the sections beside "Send" (skipping them costs no answer).
    expect(c.question().id).toBe('ref-confirm');
    // Exploitation: people and places of concern are offered first, and said why.
    expect(c.question().choices?.map((ch) => ch.value)).toEqual(['submit', 'change', 'cancel', 'persons-of-concern', 'household', 'agencies', 'child-more']);
    expect(c.lastText()).toMatch(/add the sections below before sending, or send without them\. For exploitation, people and places of concern come first/);
    c.answer('Add people and places of concern');

    expect(c.question().id).toBe('ref-persons-of-concern');
    expect(c.say('Jay, about 24, drives a silver Ford Focus AB12 CDE, 07700 900123, @jay_test').messages[0].text).toMatch(/^Added/);
    c.say('place: the car park behind Test Station, GL1 1AA');
    c.answer("that's all");

    // Back at the check, which offers only the sections not filled in yet.
    expect(c.question().choices?.map((ch) => ch.value)).toEqual(['submit', 'change', 'cancel', 'household', 'agencies', 'child-more']);
    c.answer('Add parents and carers (recommended)');
    expect(c.question().id).toBe('ref-household');
    c.say('Test Parent, mother, 40, 01632 960001, PR');
    c.say('Test Stepparent, stepfather, no PR');
    c.answer("that's all", 'other agencies');

    expect(c.question().id).toBe('ref-agencies');
    c.say('School nurse, Test Nurse, 01632 960002');
    c.answer('done', 'Add more about the child');

    expect(c.question().id).toBe('ref-child-more');
    c.say('first language: English');
    c.say('interpreter: no');
    // Not one of the facts asked: said, and nothing kept.
    expect(c.say('she likes football').messages[0].text).toMatch(/I could not tell which fact that is/);
    c.say('known as: TC');
    c.answer("that's all");

    expect(c.question().id).toBe('ref-confirm');
    const check = c.lastText();
    expect(check).toMatch(/- Your phone: 01632 960123\n/);
    expect(check).toMatch(/- Family told: Yes, but some things must not be shared with them\n- Not to be shared with the family: Where she goes after school/);
    expect(check).toMatch(/- Child's own words: "he buys me things"\n/);
    expect(check).toMatch(/- Parents and carers: Test Parent, mother, age 40, 01632 960001, parental responsibility; Test Stepparent, stepfather, no parental responsibility\n/);
    expect(check).toMatch(/- People of concern: Jay, about 24, 07700 900123, drives a silver Ford Focus AB12 CDE, @jay_test\n/);
    expect(check).toMatch(/- Places of concern: the car park behind Test Station, GL1 1AA\n/);
    expect(check).toMatch(/- Other agencies: School nurse, Test Nurse, 01632 960002\n/);
    expect(check).toMatch(/- About the child: first language: English; interpreter: no; known as: TC\n/);

    c.say('Send the referral');
    const body = bodyOf(c);
    expect(body).toMatchObject({
      schemaVersion: '2',
      referrer: { phone: '01632 960123' },
      child: { firstLanguage: 'English', interpreterNeeded: false, knownAs: 'TC' },
      familyAware: 'yes',
      confidentialFromFamily: { what: 'Where she goes after school', why: 'she fears her stepfather.' },
      views: { child: 'She wants it to stop but is scared. She said "he buys me things".' },
      childsWords: '"he buys me things"',
      household: [
        { name: 'Test Parent', relationship: 'mother', ageYears: 40, phone: '01632 960001', parentalResponsibility: true },
        { name: 'Test Stepparent', relationship: 'stepfather', parentalResponsibility: false },
      ],
      personsOfConcern: [
        {
          name: 'Jay',
          approximateAge: 24,
          phones: ['07700 900123'],
          vehicles: [{ make: 'drives a Ford Focus', colour: 'silver', registration: 'AB12 CDE' }],
          socialMedia: ['@jay_test'],
        },
      ],
      locations: [{ description: 'the car park behind Test Station, GL1 1AA', postcode: 'GL1 1AA' }],
      agencyContacts: [{ agency: 'School nurse', worker: 'Test Nurse', phone: '01632 960002' }],
    });
  });

  it('asks why the family was not told, records it, and never says to tell them', () => {
    const c = toSections();
    c.answer('01632 960123', 'No, for another reason');
    expect(c.question().id).toBe('ref-family-not-told-reason');
    c.answer('The MASH asked us to wait until they have spoken to the police.', 'skip');
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- Why the family has not been told: The MASH asked us to wait/);
    const text = c.messages.map((m) => m.text).join('\n');
    expect(text).not.toMatch(/\byou should tell (the|their) (family|parents)\b/i);
    c.say('Send the referral');
    expect(bodyOf(c)).toMatchObject({ familyAware: 'no', reasonNotTold: 'The MASH asked us to wait until they have spoken to the police.' });
  });

  it('says not to tell the parents first where the route says so (R2.5), and offers the sign-in phone to confirm', () => {
    const c = conversation({ ...signedIn, userPhone: '01632 960999' });
    c.say('Make a referral');
    const route = {
      ...triageChild('7'),
      'concern-kind': 'Physical abuse',
      'cp-injury': 'yes',
      'cp-disclosure': 'yes',
      'cp-carer': 'yes',
      'cp-immediate-risk': 'no',
      'cp-recent-offence': 'no',
      'concern-social-worker': 'no',
    };
    expect(answerUntil(c, { ...route, ...theChild, 'ref-child-dob': '14/03/2019', 'ref-concern-summary': 'Bruises on both arms; he said his dad did it.' })).toBe(
      'ref-referrer-phone',
    );
    expect(c.lastText()).toMatch(/The number from your sign-in is 01632 960999/);
    expect(c.question().choices?.map((ch) => ch.value)).toEqual(['keep']);
    c.answer('Use this number');
    expect(c.question().id).toBe('ref-family-aware');
    expect(c.lastText()).toMatch(/Do not tell the parents or carers about this before the MASH agrees/);
    // Not exploitation: parents and carers come first.
    c.answer('No: telling them could put the child or someone else at more risk', 'skip');
    expect(c.question().choices?.map((ch) => ch.value)).toEqual(['submit', 'change', 'cancel', 'household', 'persons-of-concern', 'agencies', 'child-more']);
    c.answer('Send the referral');
    expect(bodyOf(c)).toMatchObject({ referrer: { phone: '01632 960999' }, familyAware: 'no', reasonNotTold: 'Telling them could put the child or someone else at more risk' });
  });

  it('changes a section from the check: it starts again and returns to the check', () => {
    const c = toSections();
    c.answer('01632 960123', 'Yes, they know', 'skip', 'Parents and carers');
    c.say('Test Parent, mother');
    c.answer("that's all");
    expect(c.question().id).toBe('ref-confirm');
    c.answer('Change something', 'Parents and carers');
    c.say('Test Carer, foster carer, PR unknown');
    c.answer("that's all");
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- Parents and carers: Test Carer, foster carer, parental responsibility not known\n/);
    c.say('Send the referral');
    expect(bodyOf(c)).toMatchObject({ household: [{ name: 'Test Carer', relationship: 'foster carer', parentalResponsibility: 'unknown' }] });
  });

  it('raises the urgency from the check with a reason, never lowers it, and audits from and to without the words', () => {
    const c = toSections();
    c.answer('01632 960123', 'Yes, they know', 'skip');
    expect(c.lastText()).toMatch(/- Urgency: today\n/);
    c.answer('Change something');
    expect(c.question().choices).toContainEqual({ value: 'raise-urgency', title: 'Raise the urgency' });
    c.answer('Raise the urgency');
    // Only higher than today's: "now"; never routine.
    expect(c.question().choices?.map((ch) => ch.value)).toEqual(['immediate']);
    c.answer('now', 'She said he is collecting her tonight.');
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- Urgency: immediate: phone now \(raised by you from today to immediate: phone now: She said he is collecting her tonight\.\)\n/);
    c.answer('Change something');
    // Immediate is the top: nothing left to raise.
    expect(c.question().choices?.map((ch) => ch.value)).not.toContain('raise-urgency');
    c.answer('Your phone', '01632 960124');
    const sent = c.say('Send the referral');
    const body = bodyOf(c);
    expect(body.urgency).toBe('immediate');
    expect(body.concern.summary).toMatch(/\n\nraised by you from today to immediate: phone now: She said he is collecting her tonight\.$/);
    const audit = sent.effects.find((e) => e.kind === 'audit.append' && e.payload.recordType === 'referral')!;
    expect(audit.payload).toMatchObject({ urgency: 'immediate', urgencyRaised: { from: 'same-day', to: 'immediate' } });
    expect(JSON.stringify(audit)).not.toMatch(/collecting/);
  });

  it('corrects consent from the check with a reason: the MASH reads it, the audit records the change by code only', () => {
    const c = toSections();
    c.answer('01632 960123', 'Yes, they know', 'skip');
    c.answer('Change something', 'Consent');
    c.answer('Refused, but the child is at risk of harm');
    expect(c.question().id).toBe('ref-consent-change-reason');
    c.answer('I misread her answer: she said no when asked this morning.');
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- Consent: Refused, but the child is at risk of harm \(Corrected before sending \(it was "Yes, consent given"\): I misread her answer/);
    // Changing it again to the same answer asks nothing more.
    c.answer('Change something', 'Consent', 'Refused, but the child is at risk of harm');
    expect(c.question().id).toBe('ref-confirm');
    const sent = c.say('Send the referral');
    expect(bodyOf(c).consent).toMatchObject({ status: 'refused', details: expect.stringMatching(/^Corrected before sending \(it was "Yes, consent given"\): I misread/) });
    const audit = sent.effects.find((e) => e.kind === 'audit.append' && e.payload.recordType === 'referral')!;
    expect(audit.payload).toMatchObject({ consentCorrected: { from: 'given', to: 'refused-overridden-refusal' } });
    expect(JSON.stringify(audit)).not.toMatch(/misread/);
  });

  it('refers a brother or sister after filing: the household and the referrer carried, one referral each, linked by householdReference', () => {
    const c = conversation(signedIn);
    c.say('Make a referral');
    const route = {
      ...triageChild('9'),
      'concern-kind': 'Neglect',
      'concern-social-worker': 'no',
      'cp-injury': 'no',
      'cp-disclosure': 'no',
      'cp-carer': 'yes',
      'cp-immediate-risk': 'no',
      'cp-recent-offence': 'no',
    };
    const family = { ...theChild, 'ref-child-dob': '14/03/2016', 'ref-concern-summary': 'Both children come to school hungry and unwashed most days.' };
    answerUntil(c, { ...route, ...family, 'ref-referrer-phone': '01632 960123', 'ref-family-aware': 'Yes, they know', 'ref-child-views': 'skip' });
    expect(c.question().id).toBe('ref-confirm');
    c.answer('Parents and carers');
    c.say('Test Parent, mother, 40, 01632 960001, PR');
    c.answer("that's all", 'Send the referral');
    expect(c.question().choices?.map((ch) => ch.value)).toContain('sibling');
    const opened = c.say('Refer a brother or sister in the same household');
    expect(opened.messages[0].text).toMatch(/^A referral for their brother or sister/);
    // Only this child, the concern, consent and their views: nothing of the household or the referrer again.
    const asked: string[] = [];
    for (const text of ['Test', 'Sibling', '02/05/2018', 'skip', 'gl1 2tg', 'skip', 'Both children come to school hungry and unwashed most days.', 'Yes, consent given', 'skip']) {
      asked.push(c.question().id);
      c.say(text);
    }
    expect(asked).toEqual([
      'ref-child-first-name',
      'ref-child-last-name',
      'ref-child-dob',
      'ref-child-nhs',
      'ref-child-postcode',
      'ref-child-school',
      'ref-concern-summary',
      'ref-consent-status',
      'ref-child-views',
    ]);
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- Parents and carers: Test Parent, mother, age 40, 01632 960001, parental responsibility\n/);
    c.say('Send the referral');
    const bodies = c.effects.filter((e) => e.kind === 'outbox.enqueue').map((e) => referralBodySchema.parse(e.payload.body));
    expect(bodies).toHaveLength(2);
    const [first, second] = bodies;
    expect(first.clientReference).not.toBe(second.clientReference);
    expect(second).toMatchObject({
      child: { firstName: 'Test', lastName: 'Sibling' },
      referrer: { phone: '01632 960123' },
      familyAware: 'yes',
      household: [{ name: 'Test Parent' }],
    });
    expect(first).toMatchObject({ householdReference: `HH-${first.clientReference}` });
    expect(second).toMatchObject({ householdReference: `HH-${first.clientReference}` });
  });
});
