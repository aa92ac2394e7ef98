import { expect } from '@jest/globals';
import { referralBodySchema } from '../../referral/contract';
import { answerUntil, conversation, screeningAnswers, triageChild } from './referralTestKit';

/*
 * Issue 21 item 7: the answers budget, counted as the messages the professional sends (a card submit is
 * one), from "Make a referral" at the menu to a filed referral. Counted by a conversation, never timed.
 * Where today's flow is over a budget, the overrun is named here and in the README ("Answer budgets").
 */

/** A conversation that counts what the professional sends. */
function counted(meta: Parameters<typeof conversation>[0] = {}) {
  const c = conversation(meta);
  let sent = 0;
  const say = c.say;
  c.say = (text: string) => {
    sent += 1;
    return say(text);
  };
  /** A form sent from the card on screen: one message, like a typed one. */
  const submit = (answer: Record<string, string>) => {
    sent += 1;
    const { id, turnId } = c.question() as unknown as { id: string; turnId: number };
    return c.turn({ kind: 'submit', questionId: id, turnId, answer });
  };
  return { c, sent: () => sent, submit };
}

const signedIn = { userName: 'Test Teacher', userRole: 'Designated safeguarding lead', userOrganisation: 'Test School', userEmail: 'test.teacher@example.org' };

/** The child, the concern and consent as a professional types them, skipping what they may skip. */
const referral: Record<string, string> = {
  // The whole name in one answer: the last name is not asked.
  'ref-child-first-name': 'Test Child',
  'ref-child-dob': '14/03/2012',
  // "Skip" at the NHS number and UPN question skips both.
  'ref-child-nhs': 'skip',
  'ref-child-postcode': 'gl1 2tg',
  'ref-child-school': 'skip',
  'ref-concern-summary': 'Use what I wrote',
  'ref-consent-status': 'Not asked: it would harm a police inquiry',
  'share-org-kind': 'A public body',
  'ref-referrer-role': 'Designated safeguarding lead',
  'ref-referrer-org': 'Test School',
  'ref-referrer-email': 'test.teacher@example.org',
  'ref-referrer-phone': '01632 960123',
  'ref-family-aware': 'Yes, they know',
  'ref-child-views': 'skip',
  'ref-confirm': 'Send the referral',
};

const exploitation = {
  ...triageChild('14'),
  'concern-kind': 'Exploitation (sexual or criminal)',
  ...screeningAnswers('She has an older boyfriend and is picked up in a car by men.', '1, 2'),
  'screen-age': '14',
};

function filedBody(c: ReturnType<typeof conversation>) {
  const outbox = c.effects.filter((e) => e.kind === 'outbox.enqueue');
  expect(outbox).toHaveLength(1);
  return referralBodySchema.parse(outbox[0].payload.body);
}

describe('the answers budget (issue 21 item 7)', () => {
  it('exploitation, screening included, question by question, sections skipped: 28 (met)', () => {
    // The screening's 11 answers and the triage's 5 are issue 17's; the referral adds the phone and the child's
    // views. The sections are offered at the check, so skipping them is "Send" (no answer). The family answer
    // comes from consent (a police inquiry) and the sign-in gives who is referring, so neither is asked.
    const { c, sent } = counted(signedIn);
    c.say('Make a referral');
    expect(answerUntil(c, { ...exploitation, ...referral }, 'ref-next')).toBe('ref-next');
    expect(filedBody(c)).toMatchObject({ child: { firstName: 'Test', lastName: 'Child' }, familyAware: 'no', referrer: { phone: '01632 960123' } });
    const budget = 28;
    expect(sent()).toBe(budget);
  });

  it('exploitation without a sign-in that names the referrer: three more (role, organisation, email)', () => {
    const { c, sent } = counted({ userName: 'Test Teacher' });
    c.say('Make a referral');
    expect(answerUntil(c, { ...exploitation, ...referral }, 'ref-next')).toBe('ref-next');
    filedBody(c);
    expect(sent()).toBe(31);
  });

  it('not exploitation (physical abuse), sections skipped: 18 plus the overrun the README names', () => {
    const { c, sent } = counted(signedIn);
    c.say('Make a referral');
    const route = {
      ...triageChild('7'),
      'concern-kind': 'Physical abuse',
      'cp-injury': 'yes',
      'cp-disclosure': 'no',
      'cp-carer': 'yes',
      'cp-immediate-risk': 'no',
      'cp-recent-offence': 'no',
      'concern-social-worker': 'no',
    };
    const stop = answerUntil(c, { ...route, ...referral, 'ref-child-dob': '14/03/2019', 'ref-concern-summary': 'Bruises on both arms he would not explain.' }, 'ref-next');
    expect(stop).toBe('ref-next');
    filedBody(c);
    // The menu 1, the triage 5, the child-protection route 6, the child and concern 6, consent and kind of
    // organisation 2, the phone and the child's views 2, send 1 (README "Answer budgets": over by 5).
    const budget = 18;
    const overrun = 5;
    expect(sent()).toBe(budget + overrun);
  });

  it('exploitation with one parent and one person of concern, sections by card, from "hello": 30 plus the overrun the README names', () => {
    const { c, sent, submit } = counted(signedIn);
    c.say('hello');
    c.say('Make a referral');
    expect(answerUntil(c, { ...exploitation, ...referral }, 'ref-confirm')).toBe('ref-confirm');
    // The sections are picked at the check, one pick each, and each form returns to the check.
    c.say('Add people and places of concern');
    expect(submit({ '0.name': 'Jay', '0.approximateAge': '24', '0.vehicleRegistration': 'AB12 CDE', '0.places': 'Test Station car park, GL1 1AA' }).submitted?.status).toBe(
      'accepted',
    );
    expect(c.question().id).toBe('ref-confirm');
    c.say('Add parents and carers (recommended)');
    expect(submit({ '0.name': 'Test Parent', '0.relationship': 'mother', '0.phone': '01632 960001', '0.parentalResponsibility': 'yes' }).submitted?.status).toBe('accepted');
    expect(answerUntil(c, referral, 'ref-next')).toBe('ref-next');
    expect(filedBody(c)).toMatchObject({ household: [{ name: 'Test Parent', parentalResponsibility: true }], personsOfConcern: [{ name: 'Jay', approximateAge: 24 }] });
    // The 28 of the sections-skipped budget above, the greeting, and a pick at the check and one submit per
    // section (README "Answer budgets": over by 3).
    const budget = 30;
    const overrun = 3;
    expect(sent()).toBe(budget + overrun);
  });
});
