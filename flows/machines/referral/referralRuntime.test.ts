import { expect } from '@jest/globals';
import { referralBodySchema } from '../../referral/contract';
import type { EffectOf } from '../../effects';
import type { Effect, OutgoingMessage } from '../../protocol';
import { answerUntil, conversation, pack, screeningAnswers, triageChild } from './referralTestKit';

// The MASH contract's schemas are imported here, in tests only: flows/ imports nothing from integrations/.

/**
 * Menu → "Make a referral" → the triage (child of 14, no override fact, exploitation) → the screening, to
 * a category 3 result, answered by question id (the screening skips what the triage already asked).
 */
function toCategory3(c: ReturnType<typeof conversation>, start: string | undefined = 'Make a referral') {
  if (start) c.say(start);
  answerUntil(c, {
    ...triageChild('14'),
    'concern-kind': 'Exploitation (sexual or criminal)',
    ...screeningAnswers('She has an older boyfriend and is picked up in a car by men.', '1, 2'),
    'screen-age': '14',
  });
  expect(c.question().id).toBe('ref-child-first-name');
}
/** The child and the concern, up to the consent question. */
const child = ['Test', 'Child', '14/03/2012', '943 476 5919', 'skip', 'gl1 2tg', 'Test School', 'Use what I wrote'];
/**
 * Issue 21's questions, answered briefly: the phone, the child's views not known (so their words are not
 * asked); the optional sections, offered at the check, not added. The family answer is taken from consent number 4.
 */
const marfSkipped = ['01632 960123', 'skip'];
/** The same after consent given: the family is asked too. */
const marfAsked = ['01632 960123', 'Yes, they know', 'skip'];
/** Consent not sought (number 4: it would harm a police inquiry), then the referrer. */
const consentAndReferrer = ['4', 'A public body', 'Designated safeguarding lead', 'Test School', 'test.teacher@example.org', ...marfSkipped];

const filedIn = (messages: OutgoingMessage[]) => messages.find((m) => m.value?.type === 'safeguarding.referralFiled');
const outboxOf = (effects: Effect[]) => effects.filter((e) => e.kind === 'outbox.enqueue');
const bodyOf = (effect: EffectOf<'outbox.enqueue'>) => effect.payload.body;

function upToConfirm(meta = {}) {
  const c = conversation(meta);
  toCategory3(c);
  c.answer(...child, ...consentAndReferrer);
  expect(c.question().id).toBe('ref-confirm');
  return c;
}

describe('filing a referral through the runtime', () => {
  it('goes from the menu through the screening it needs to a filed referral, answering by titles and numbers', () => {
    const c = conversation();
    c.say('Make a referral');
    expect(c.question().id).toBe('screen-immediate-danger'); // the triage first (issue 17), no screening demanded
    toCategory3(c, undefined);
    expect(c.messages.map((m) => m.text).join('\n')).toMatch(/The screening gave Category 3 \(moderate\)/);
    expect(c.question()).toMatchObject({ id: 'ref-child-first-name', expects: 'text' });
    c.answer(...child, ...consentAndReferrer);
    expect(c.lastText()).toMatch(/- First name: Test\n- Last name: Child\n- Date of birth: 14\/03\/2012\n- NHS number: 9434765919\n- UPN: Not given\n- Postcode: GL1 2TG/);
    expect(c.lastText()).toMatch(
      /- Kind of concern: Child sexual exploitation\n- Screening: Category 3 \(moderate\)\n- Urgency: today\n- Consent: Not asked: it would harm a police inquiry\n- Kind of organisation: A public body \(school, academy, NHS, council, police\)\n- Lawful basis: [^\n]*\n- Your name: Test Teacher/,
    );
    // The optional sections are offered beside "Send", people and places of concern first for exploitation.
    expect(c.question().choices?.map((choice) => choice.value)).toEqual(['submit', 'change', 'cancel', 'persons-of-concern', 'household', 'agencies', 'child-more']);

    const sent = c.say('1');
    const filed = filedIn(sent.messages)!;
    expect(filed.value).toEqual({ type: 'safeguarding.referralFiled', clientReference: expect.stringMatching(/^SG-[0-9A-F]{12}$/), status: 'queued' });
    expect(filed.text).toMatch(/^Your referral is queued for the MASH\. Your reference is SG-/);
    const reference = String(filed.value!.clientReference);
    expect(sent.effects.map((e) => [e.kind, e.id])).toEqual([
      ['outbox.enqueue', reference],
      ['audit.append', reference],
      // Filed, so its draft goes (issue 20 item 2).
      ['draft.discard', expect.stringMatching(/^draft-discard\.DR-/)],
    ]);
    const [outbox, audit] = sent.effects;
    expect(outbox.payload).toMatchObject({ kind: 'referral', clientReference: reference });
    const body = referralBodySchema.parse(sent.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body);
    expect(body).toMatchObject({
      // The family answer and the child's views (issue 21) are version 2 fields.
      schemaVersion: '2',
      clientReference: reference,
      submittedAt: sent.record.updatedAt,
      channel: 'webchat',
      referrer: { name: 'Test Teacher', role: 'Designated safeguarding lead', organisation: 'Test School', email: 'test.teacher@example.org', phone: '01632 960123' },
      child: {
        firstName: 'Test',
        lastName: 'Child',
        dateOfBirth: '2012-03-14',
        nhsNumber: '9434765919',
        address: { postcode: 'GL1 2TG' },
        school: 'Test School',
        lookedAfter: false,
      },
      concern: { summary: 'She has an older boyfriend and is picked up in a car by men.', categories: ['cse'], immediateDanger: false },
      screening: {
        category: 3,
        indicators: [
          { id: 'older-partner', label: 'Older partner' },
          { id: 'vehicles', label: 'Vehicles driven by unknown adults' },
        ],
      },
      consent: { status: 'not-sought', overrideReason: 'prejudice-crime' },
      urgency: 'same-day',
      // Taken from the consent answer, not asked again, and the referral kept from the family (R2.4).
      familyAware: 'no',
      reasonNotTold: 'Telling them could harm a police inquiry',
      confidentialFromFamily: { what: 'This referral and everything in it', why: 'Telling them could harm a police inquiry' },
    });
    expect(body.child.upn).toBeUndefined();
    expect(audit.payload).toEqual({
      recordType: 'referral',
      clientReference: reference,
      screeningId: expect.stringMatching(/^scr-/),
      category: 3,
      concernCategories: ['cse'],
      // The kind the professional chose in the triage (issue 17: chosen, never inferred).
      concernKind: 'exploitation',
      // Who referred decides the Art 6 basis (a public body here: public task), recorded as codes.
      lawfulBasisCodes: ['uk-gdpr-6-1-e', 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18', 'dpa-s10-5+sch1-p18+pt3-p36'],
      urgency: 'same-day',
      consentStatus: 'not-sought',
      consentReason: 'prejudice-crime',
      schemaVersion: '2',
      // The pack version the referrer was advised on (issue 17 item 7).
      guidanceVersion: pack.version,
      // The referrer's organisation as a type for partnership insight, never its name.
      organisationType: 'school',
      recordedAt: sent.record.updatedAt,
    });
    // Minimum identifiers only: no name, date of birth, NHS number or words of the concern in the audit record.
    expect(JSON.stringify(audit)).not.toMatch(/Test|Child|2012-03-14|9434765919|boyfriend/);

    expect(c.question().id).toBe('ref-next');
    const out = c.say('Who can I call?');
    expect(out.messages.map((m) => m.text).join('\n')).toMatch(/01452 426565/);
    expect(out.effects).toEqual([]);
    expect(c.question().id).toBe('menu');
    // Filed: the screening and triage are spent, so the next referral (another child, perhaps) starts at the triage.
    c.say('Make a referral');
    expect(c.question().id).toBe('screen-immediate-danger');
  });

  it.each([
    ['ref-child-dob', '01/01/2030', /date of birth is in the future/],
    ['ref-child-dob', '14/03/1990', /makes them 35\. Referrals here are for children and young people up to 25/],
    ['ref-child-dob', '01/02/13', /type the year in full/],
    ['ref-child-dob', '31/02/2012', /That date does not exist/],
    ['ref-child-nhs', '943 476 5918', /does not add up: its last digit is a check digit/],
    ['ref-child-nhs', '12345', /An NHS number has 10 digits; that has 5/],
    ['ref-child-upn', 'A916200024001', /That UPN does not add up: its first letter is a check letter/],
    ['ref-child-nhs', '943 476 5919 A916200024001', /That UPN does not add up: its first letter is a check letter/],
    ['ref-child-postcode', 'SW1A', /That looks like part of a postcode/],
    ['ref-child-postcode', 'GL1 2T6', /That is not a UK postcode/],
    ['ref-referrer-email', 'sam.hill.sch.uk', /An email address needs an @/],
    ['ref-concern-summary', 'Worried.', /at least a sentence \(10 characters or more\)/],
  ])('re-asks %s with the reason when given %j', (questionId, bad, reason) => {
    const c = conversation({ userName: undefined });
    toCategory3(c);
    const answers: Record<string, string> = {
      'ref-child-first-name': 'Test',
      'ref-child-last-name': 'Child',
      'ref-child-dob': '14/03/2012',
      // An NHS number alone still asks the UPN.
      'ref-child-nhs': '943 476 5919',
      'ref-child-upn': 'skip',
      'ref-child-postcode': 'skip',
      'ref-child-school': 'skip',
      'ref-concern-summary': 'A new summary in my own words.',
      'ref-consent-status': '1',
      'share-org-kind': 'A public body',
      'ref-referrer-role': 'School nurse',
      'ref-referrer-org': 'Test School',
    };
    while (c.question().id !== questionId) c.answer(answers[c.question().id]);
    const trail = c.record.trail.length;
    const { messages, effects } = c.say(bad);
    expect(messages[0].text).toMatch(reason);
    expect(messages[0].text).not.toContain(bad); // a reason never repeats the value
    expect(messages[messages.length - 1].value).toMatchObject({ id: questionId });
    expect(effects).toEqual([]);
    expect(c.record.trail).toHaveLength(trail);
  });

  it('takes an age when the date of birth is not known, and re-asks an age over 25 with the reason', () => {
    const c = conversation();
    toCategory3(c);
    c.answer('Test', 'Child', 'Not known');
    expect(c.question().id).toBe('ref-child-age');
    expect(c.say('30').messages[0].text).toMatch(/Referrals here are for children and young people up to 25/);
    c.answer('about 13', 'skip', 'skip', 'skip', 'Use what I wrote', '1', 'A public body', 'Youth worker', 'Youth service', 'sam@youth.org.uk', ...marfAsked);
    expect(c.lastText()).toMatch(/- Date of birth: Not known; age 13\n/);
    const body = referralBodySchema.parse(bodyOf(outboxOf(c.say('Send the referral').effects)[0]));
    expect(body.child).toEqual({ firstName: 'Test', lastName: 'Child', ageYears: 13, lookedAfter: false });
    expect(body.consent).toMatchObject({ status: 'given', lawfulBasis: expect.stringMatching(/Article 6\(1\)\(e\)/) });
  });

  it('takes skip by card submit at an optional question', () => {
    const c = conversation();
    toCategory3(c);
    c.answer('Test', 'Child', '14/03/2012');
    expect(c.question()).toMatchObject({ id: 'ref-child-nhs', expects: 'text', choices: [{ value: 'skip', title: 'Skip' }] });
    c.turn({ kind: 'submit', questionId: 'ref-child-nhs', turnId: c.record.turn, answer: 'skip' });
    // "Skip" at the NHS number and UPN question skips both (issue 21 item 7).
    expect(c.question().id).toBe('ref-child-postcode');
  });

  it('offers the screening narrative as the concern summary, and takes a new one instead', () => {
    const c = conversation();
    toCategory3(c);
    c.answer('Test', 'Child', '14/03/2012', 'skip', 'skip', 'skip');
    expect(c.question()).toMatchObject({ id: 'ref-concern-summary', expects: 'text', choices: [{ value: 'keep', title: 'Use what I wrote' }] });
    expect(c.lastText()).toMatch(/In the screening you wrote:\n"She has an older boyfriend and is picked up in a car by men\."/);
    c.answer(
      'Seen getting into a grey car after school on 1 March; she told her form tutor he is 24.',
      '1',
      'A public body',
      'Teacher',
      'Test School',
      'test.teacher@example.org',
      ...marfAsked,
    );
    expect(c.lastText()).toMatch(/- Concern: Seen getting into a grey car after school on 1 March; she told her form tutor he is 24\.\n/);
  });

  it('changes an answer from the confirmation and returns to it', () => {
    const c = upToConfirm();
    c.answer('Change something');
    expect(c.question()).toMatchObject({ id: 'ref-change-field' });
    // Only what was asked here can be changed: the name came from the sign-in.
    expect(c.question().choices?.map((choice) => choice.value)).toEqual([
      'ref-child-first-name',
      'ref-child-last-name',
      'ref-child-dob',
      'ref-child-nhs',
      'ref-child-upn',
      'ref-child-postcode',
      'ref-child-school',
      'ref-concern-summary',
      'ref-consent-status',
      'share-org-kind',
      'ref-referrer-role',
      'ref-referrer-org',
      'ref-referrer-email',
      'ref-referrer-phone',
      'ref-family-aware',
      'ref-child-views',
      // The sections can be added from the check even when skipped.
      'ref-household',
      'ref-persons-of-concern',
      'ref-agencies',
      'ref-child-more',
      // Up only (issue 21 item 3): the urgency, and the screening's category 3.
      'raise-urgency',
      'raise-category',
    ]);
    c.answer('Date of birth', 'Not known', '13');
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- Date of birth: Not known; age 13\n- NHS number: 9434765919\n/);
    c.answer('change', 'First name', 'Testa');
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- First name: Testa\n/);
    c.answer('2', 'Date of birth', '15/04/2012');
    const body = referralBodySchema.parse(bodyOf(outboxOf(c.say('Send the referral').effects)[0]));
    expect(body.child).toMatchObject({ firstName: 'Testa', dateOfBirth: '2012-04-15' });
    expect(body.child.ageYears).toBeUndefined();
  });

  it('skips the referrer questions the sign-in answers, and files from Teams as msteams', () => {
    const c = conversation({ channelId: 'msteams', userName: 'Test Teacher', userRole: 'DSL', userOrganisation: 'Test School', userEmail: 'Sam.Taylor@HILL.sch.uk' });
    toCategory3(c);
    c.answer(...child, '1', 'A public body', ...marfAsked);
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- Your name: Test Teacher\n- Your role: DSL\n- Your organisation: Test School\n- Your email: Sam.Taylor@hill.sch.uk/);
    const body = referralBodySchema.parse(bodyOf(outboxOf(c.say('Send the referral').effects)[0]));
    expect(body).toMatchObject({ channel: 'msteams', referrer: { name: 'Test Teacher', role: 'DSL', organisation: 'Test School', email: 'Sam.Taylor@hill.sch.uk' } });
  });

  it('asks only what the sign-in lacks: the name too when the channel gives none, and an email it cannot use', () => {
    const c = conversation({ userName: undefined, userRole: 'DSL', userEmail: 'not an email' });
    toCategory3(c);
    c.answer(...child, '1', 'A public body');
    expect(c.question().id).toBe('ref-referrer-org');
    c.answer('Test School');
    expect(c.question().id).toBe('ref-referrer-email');
    c.answer('test.teacher@example.org');
    expect(c.question().id).toBe('ref-referrer-name');
    c.answer('Test Teacher');
    expect(c.question().id).toBe('ref-referrer-phone');
  });

  it('leads with the phone call at category 4, before the form and again when it is filed', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, {
      ...triageChild('15'),
      'concern-kind': 'exploitation',
      ...screeningAnswers('I am worried about how she is.'),
      'screen-age': '15',
      'screen-critical': 'Told someone of sexual harm or exploitation',
    });
    expect(c.messages.map((m) => m.text).join('\n')).toMatch(
      /This is Category 4 \(significant\): phone now: the Children and Families Help Desk \(MASH front door\) on 01452 426565 \(open now; when it is closed: the Emergency Duty Team on 01452 614194/,
    );
    c.answer(...child, ...consentAndReferrer);
    const sent = c.say('Send the referral');
    expect(filedIn(sent.messages)!.text).toMatch(
      /^Phone now if you have not already: the Children and Families Help Desk \(MASH front door\) on 01452 426565[^\n]*\n\nYour referral is queued/,
    );
    const body = referralBodySchema.parse(bodyOf(outboxOf(sent.effects)[0]));
    expect(body).toMatchObject({ urgency: 'immediate', screening: { category: 4 }, concern: { categories: ['cse'] } });
  });

  it('offers "Not now" before anything of the child is typed: nothing sent, back to the menu (issue 20)', () => {
    const c = conversation();
    toCategory3(c);
    expect(c.question().choices?.map((choice) => [choice.value, choice.title])).toEqual([['not-now', 'Not now']]);
    const later = c.say('Not now');
    expect(later.messages[0].text).toMatch(/^Not now: nothing was sent to the MASH\. When you are ready, pick "Make a referral"/);
    expect(later.messages[0].text).toMatch(/01452 426565/); // the line open now (10:00 on a weekday)
    expect(later.effects.filter((e) => e.kind === 'outbox.enqueue')).toEqual([]);
    expect(c.question().id).toBe('menu');
  });

  it('says "do not wait: phone now" when the concern needs action today and the professional picks "Not now"', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, {
      ...triageChild('15'),
      'concern-kind': 'exploitation',
      ...screeningAnswers('I am worried about how she is.'),
      'screen-age': '15',
      'screen-critical': 'Told someone of sexual harm or exploitation',
    });
    expect(c.question().id).toBe('ref-child-first-name');
    const later = c.say('not now');
    expect(later.messages[0].text).toMatch(/^Not now: nothing was sent to the MASH\. This concern needs action today, so do not wait: phone the Children and Families Help Desk/);
    expect(later.messages[0].text).toMatch(/call 999/);
  });

  it('takes "Not now" while changing the first name as changing nothing', () => {
    const c = upToConfirm();
    c.answer('change', 'First name', 'Not now');
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- First name: Test\n/);
  });

  it('files nothing on cancel, keeps the screening, and goes straight to the child next time', () => {
    const c = upToConfirm();
    const cancelled = c.say('Cancel, do not send');
    expect(cancelled.messages[0].text).toMatch(/^Cancelled: nothing was sent to the MASH/);
    // Nothing for the MASH: only the draft goes (issue 20 item 2).
    expect(cancelled.effects.map((e) => [e.kind, e.payload])).toEqual([['draft.discard', expect.objectContaining({ reason: 'cancelled' })]]);
    expect(c.question().id).toBe('menu');
    c.say('Make a referral');
    // The screening is kept: the triage does not ask the override facts again, and exploitation goes straight to the child.
    answerUntil(c, { ...triageChild('14'), 'concern-kind': 'exploitation', 'concern-social-worker': 'no' });
    expect(c.question().id).toBe('ref-child-first-name');
    expect(c.effects.filter((e) => e.kind === 'outbox.enqueue')).toEqual([]);
    expect(c.effects.filter((e) => e.kind === 'audit.append' && e.payload.recordType === 'screening')).toHaveLength(1);
  });

  it('keeps the screening through back after a menu visit, because back replays from the menu it started at', () => {
    const c = conversation();
    c.say('Is this exploitation?');
    answerUntil(c, {
      ...triageChild('15'),
      ...screeningAnswers('Nothing specific, she just seems quiet.'),
      'screen-age': '15',
      'screen-health-behaviour': 'Drug or alcohol misuse',
    });
    expect(c.question().id).toBe('menu'); // category 1: early help, then who to call
    const toChild = { ...triageChild('15'), 'concern-kind': 'exploitation', 'concern-social-worker': 'no' };
    c.say('Make a referral');
    answerUntil(c, toChild);
    expect(c.question().id).toBe('ref-child-first-name');
    c.answer('Test');
    expect(c.say('back').messages[0].text).toMatch(/Going back one step/);
    expect(c.question().id).toBe('ref-child-first-name');
    c.say('back');
    expect(c.question().id).toBe('concern-social-worker'); // the triage's last question, replayed from the menu
    c.say('no');
    expect(c.question().id).toBe('ref-child-first-name'); // not the screening again
  });

  it('cannot go back past a filed referral, so back never sends it twice', () => {
    const c = upToConfirm();
    c.say('Send the referral');
    const back = c.say('back');
    expect(back.messages[0].text).toMatch(/at the start already/);
    expect(back.effects).toEqual([]);
    expect(c.question().id).toBe('ref-next');
    expect(outboxOf(c.effects)).toHaveLength(1);
  });

  it('is the same referral, with the same reference, when the same turn is run again (a retried turn)', () => {
    const c = upToConfirm();
    const retried = c.retry({ kind: 'text', text: 'Send the referral' });
    const sent = c.say('Send the referral');
    expect(retried.effects).toEqual(sent.effects);
    expect(outboxOf(sent.effects)).toHaveLength(1);
  });

  it('gives another reference to the same answers in another conversation', () => {
    const one = upToConfirm();
    const other = upToConfirm({ conversationKey: 'conv-key-2' });
    const a = outboxOf(one.say('Send the referral').effects)[0].id;
    const b = outboxOf(other.say('Send the referral').effects)[0].id;
    expect(a).not.toBe(b);
  });
});

describe('consent from a sharing decision in the same conversation', () => {
  // No risk of harm to a child, but asking for consent would raise a risk: shared without consent, not told.
  const shareWithoutConsent = ['Should I share this?', 'Yes', 'No', 'Yes', 'A public body', 'I have not asked', 'No', 'Yes', 'The police'];

  it('is not asked again, and the referral says why consent was not sought and which decision recorded it', () => {
    const c = conversation();
    c.answer(...shareWithoutConsent, 'File a referral');
    expect(c.question().id).toBe('screen-immediate-danger');
    toCategory3(c, undefined);
    c.answer(...child);
    expect(c.question().id).toBe('ref-referrer-role');
    c.answer('DSL', 'Test School', 'test.teacher@example.org', '01632 960123');
    // The decision's reason also says the family has not been told: recorded, not asked (R2.4).
    expect(c.messages.at(-2)?.text).toMatch(/I have recorded that the family has not been told/);
    c.answer('skip');
    expect(c.lastText()).toMatch(/- Consent: Not asked: asking would put the child at more risk \(from your information-sharing decision\)/);
    expect(c.lastText()).toMatch(/- Family told: No: telling them could put the child or someone else at more risk\n/);
    const decisionId = String(c.messages.map((m) => m.value).find((v) => v?.type === 'safeguarding.sharingDecision')?.decisionId);
    const body = referralBodySchema.parse(bodyOf(outboxOf(c.say('Send the referral').effects)[0]));
    expect(body.consent).toMatchObject({
      status: 'not-sought',
      overrideReason: 'would-increase-risk',
      details: `Recorded in information-sharing decision ${decisionId}.`,
      lawfulBasis: expect.stringMatching(/Article 9\(2\)\(g\) with Data Protection Act 2018 section 10\(3\) and Schedule 1 paragraph 18/),
    });
  });

  it('is asked when the decision does not answer it (consent could still be sought)', () => {
    const c = conversation();
    c.answer('Should I share this?', 'Yes', 'No', 'Yes', 'A public body', 'I have not asked', 'No', 'No', 'No', 'Yes', 'Yes', 'File a referral');
    toCategory3(c, undefined);
    c.answer(...child);
    expect(c.question().id).toBe('ref-consent-status');
  });
});
