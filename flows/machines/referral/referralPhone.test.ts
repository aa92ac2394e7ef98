import { expect } from '@jest/globals';
import type { OutgoingMessage } from '../../protocol';
import { answerUntil, conversation, screeningAnswers, triageChild } from './referralTestKit';

/** The child and the concern, consent not sought (4), then the referrer, as in the queued referral's test. */
const child = ['Test', 'Child', '14/03/2012', '943 476 5919', 'skip', 'gl1 2tg', 'Test School', 'Use what I wrote'];
// With issue 21's questions: the phone, the child's views not known, the sections skipped (the family answer comes from consent 4).
const consentAndReferrer = ['4', 'A public body', 'Designated safeguarding lead', 'Test School', 'test.teacher@example.org', '01632 960123', 'skip'];

const ofType = (messages: OutgoingMessage[], type: string) => messages.find((m) => m.value?.type === type);

/** "Make a referral" to a category 3 exploitation screening, then the referral to its confirmation, from `startHourUtc` on Monday 2 March 2026. */
function upToConfirm(startHourUtc: number) {
  const c = conversation({}, { referrals: 'phone', startHourUtc });
  c.say('Make a referral');
  answerUntil(c, {
    ...triageChild('14'),
    'concern-kind': 'Exploitation (sexual or criminal)',
    ...screeningAnswers('She has an older boyfriend and is picked up in a car by men.', '1, 2'),
    'screen-age': '14',
  });
  c.answer(...child, ...consentAndReferrer);
  expect(c.question().id).toBe('ref-confirm');
  return c;
}

describe('REFERRALS=phone: a partnership without an intake API (issue 18 item 3)', () => {
  it('ends with the line open now and its alternative, and the referral record, and queues nothing', () => {
    const c = upToConfirm(10);
    const confirmed = c.lastText();
    const sent = c.say('1');

    const filed = ofType(sent.messages, 'safeguarding.referralFiled')!;
    expect(filed.value).toEqual({ type: 'safeguarding.referralFiled', clientReference: expect.stringMatching(/^SG-[0-9A-F]{12}$/), status: 'phone' });
    const reference = String(filed.value!.clientReference);
    // Never "queued": nothing was sent. The phone route is filled for the turn's time (a Monday 10:00: the help desk, open now).
    expect(filed.text).not.toMatch(/queued/i);
    expect(filed.text).toMatch(/nothing has been sent to the MASH/);
    expect(filed.text).not.toContain('{{call-now}}');
    expect(filed.text).toMatch(/Children and Families Help Desk[^.]*01452 426565/);
    expect(filed.text).toMatch(/Emergency Duty Team[^.]*01452 614194/);
    expect(filed.text).toContain(`Quote your reference ${reference}`);

    // The record: the summary they confirmed, in plain words, headed by the reference and the time made.
    const record = ofType(sent.messages, 'safeguarding.referralRecord')!;
    expect(record.value).toEqual({ type: 'safeguarding.referralRecord', clientReference: reference, delivery: 'phone' });
    expect(record.text).toMatch(new RegExp(`^Referral record ${reference}, made 02/03/2026, \\d\\d:\\d\\d\\.`));
    expect(record.text).toMatch(/- First name: Test\n- Last name: Child\n- Date of birth: 14\/03\/2012\n- NHS number: 9434765919/);
    expect(record.text).toContain('- Kind of concern: Child sexual exploitation');
    expect(record.text).toContain('- Your name: Test Teacher');
    // Nothing but what they confirmed (the summary shown at ref-confirm is the record's body).
    const summaryLines = confirmed.split('\n').filter((line) => line.startsWith('- '));
    expect(record.text.split('\n').slice(1)).toEqual(summaryLines);

    // Recorded (my referrals, audit) but nothing for the outbox; the recording effect holds no child details.
    expect(sent.effects.map((e) => [e.kind, e.id])).toEqual([
      ['referral.phone', reference],
      ['audit.append', reference],
      // Filed, so its draft goes (issue 20 item 2).
      ['draft.discard', expect.stringMatching(/^draft-discard\.DR-/)],
    ]);
    const [recorded, audit] = sent.effects;
    expect(recorded.payload).toEqual({ clientReference: reference, urgency: 'same-day', category: 3 });
    expect(audit.payload).toMatchObject({ recordType: 'referral', clientReference: reference, delivery: 'phone', urgency: 'same-day' });
    expect(JSON.stringify(sent.effects)).not.toMatch(/Test|Child|9434765919|GL1 2TG/);
    expect(c.question().id).toBe('ref-next');
  });

  it('names the out-of-hours line as the one to phone now in the evening', () => {
    const c = upToConfirm(20); // Monday 2 March 2026 from 20:00 (GMT): the help desk is closed
    const filed = ofType(c.say('1').messages, 'safeguarding.referralFiled')!;
    expect(filed.text).toMatch(
      /Phone now: the Emergency Duty Team on 01452 614194[^(]*\(open now; the Children and Families Help Desk.*01452 426565 opens Tuesday 3 March at 09:00\)/,
    );
  });

  it('files into the outbox as before when REFERRALS=mash (the default)', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, {
      ...triageChild('14'),
      'concern-kind': 'Exploitation (sexual or criminal)',
      ...screeningAnswers('She has an older boyfriend and is picked up in a car by men.', '1, 2'),
      'screen-age': '14',
    });
    c.answer(...child, ...consentAndReferrer);
    const sent = c.say('1');
    expect(sent.effects.map((e) => e.kind)).toEqual(['outbox.enqueue', 'audit.append', 'draft.discard']);
    expect(ofType(sent.messages, 'safeguarding.referralRecord')).toBeUndefined();
  });
});
