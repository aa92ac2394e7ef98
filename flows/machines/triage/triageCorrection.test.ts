import { referralBodySchema } from '../../referral/contract';
import type { Effect, OutgoingMessage } from '../../protocol';
import { answerUntil, conversation, pack, triageChild } from '../referral/referralTestKit';

// Issue 17 item 2: correcting (`back`) the very answer that fired a safety override re-evaluates it, is
// audited with the original answer and is shown on the record: in the result and in the referral.
const results = (messages: OutgoingMessage[]) => messages.filter((m) => m.value?.type === 'safeguarding.triageResult');
const audits = (effects: Effect[], recordType: string) => effects.flatMap((e) => (e.kind === 'audit.append' && e.payload.recordType === recordType ? [e.payload] : []));
const noCp = { 'cp-injury': 'no', 'cp-disclosure': 'no', 'cp-carer': 'no', 'cp-immediate-risk': 'no', 'cp-recent-offence': 'no', 'concern-social-worker': 'no' };
const referral = {
  'ref-child-first-name': 'Test',
  'ref-child-last-name': 'Child',
  'ref-child-dob': '14/03/2012',
  'ref-child-nhs': 'skip',
  'ref-child-upn': 'skip',
  'ref-child-postcode': 'skip',
  'ref-child-school': 'skip',
  'ref-concern-summary': 'What I saw and what she told me today.',
  'ref-consent-status': '2',
  'share-org-kind': 'A public body',
  'ref-referrer-role': 'Teacher',
  'ref-referrer-org': 'Test School',
  'ref-referrer-email': 'test.teacher@example.org',
  // Issue 21's questions, answered briefly.
  'ref-referrer-phone': '01632 960123',
  'ref-family-aware': 'Yes, they know',
  'ref-child-views': 'skip',
  'ref-sections': 'skip',
};
const upToOverrides = { 'screen-immediate-danger': 'no', 'screen-about': 'child', 'screen-age': '14' };
const adultImageLabel = pack.screening!.indicators['adult-image-request'].label;
const adultImageReason = pack.screening!.overrides.find((o) => o.id === 'adult-image-request')!.reason;
const corrected = /You corrected an earlier answer/;

/** Menu → "Make a referral" → a child of 14 who fired the adult-image override, then `back` to the override question. */
function firedThenBack() {
  const c = conversation();
  c.say('Make a referral');
  answerUntil(c, upToOverrides);
  const fired = c.say('adult-image-request');
  expect(fired.messages[0].text).toMatch(/safety override: this is category 4/);
  expect(c.question().id).toBe('concern-kind');
  const back = c.say('back');
  expect(c.question().id).toBe('concern-overrides');
  // Going back says nothing new: the correction is only said once an answer replaces it.
  expect(back.messages.map((m) => m.text).join('\n')).not.toMatch(corrected);
  return c;
}

describe('correcting the answer that fired a safety override (back)', () => {
  it('is said in words, audited with the original answer, shown in the result, and carried to the referral and its audit record', () => {
    const c = firedThenBack();
    const now = c.say('none');
    // Said at once, in words: what was ticked (its label, never its id), the override's reason, the correction.
    const said = now.messages[0].text;
    expect(said).toMatch(corrected);
    expect(said).toContain(`"${adultImageLabel}"`);
    expect(said).toContain(adultImageReason);
    expect(said).toContain('"None of these"');
    expect(said).not.toMatch(/adult-image-request/);
    // Audited: one record with the original facts and what they fired, the new facts and result; references only.
    const [record] = audits(now.effects, 'override-correction');
    expect(audits(now.effects, 'override-correction')).toHaveLength(1);
    expect(record).toMatchObject({ questionId: 'concern-overrides', originalFacts: ['adult-image-request'], originalFired: ['adult-image-request'], facts: [], fired: [] });
    expect(record).toHaveProperty('originalAt');
    expect(record).toHaveProperty('recordedAt');
    expect(record).not.toHaveProperty('category');
    expect(JSON.stringify(record)).not.toMatch(/Test Teacher|webchat/);
    // Re-evaluated: the new answer fires nothing; the re-evaluation is audited too, as before.
    expect(audits(c.effects, 'triage-overrides').map((p) => p.fired)).toEqual([['adult-image-request'], []]);

    answerUntil(c, { 'concern-kind': 'Neglect', ...noCp });
    const [result] = results(c.messages);
    expect(result.value).toMatchObject({ kind: 'neglect', urgency: 'routine', overrides: [] });
    expect(result.text).toMatch(corrected);
    expect(result.text).toContain(`"${adultImageLabel}"`);
    expect(result.text).not.toMatch(/safety override: this is category/);

    expect(answerUntil(c, referral, 'ref-confirm')).toBe('ref-confirm');
    expect(c.lastText()).toContain(`- Corrected answer: you first ticked "${adultImageLabel}", a safety override, and corrected it to "None of these"`);
    const sent = c.say('Send the referral');
    const body = referralBodySchema.parse(sent.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body);
    expect(body.urgency).toBe('routine');
    const [filed] = audits(sent.effects, 'referral');
    expect(filed.overrideCorrections).toEqual([{ originalFacts: ['adult-image-request'], originalFired: ['adult-image-request'], facts: [], fired: [] }]);
  });

  it('survives going back again: the original stays on the record after a second back and a second answer', () => {
    const c = firedThenBack();
    c.say('none');
    expect(c.question().id).toBe('concern-kind');
    c.say('back');
    const again = c.say('none');
    expect(again.messages[0].text).toMatch(corrected);
    expect(audits(again.effects, 'override-correction')).toEqual([expect.objectContaining({ originalFacts: ['adult-image-request'], facts: [] })]);
  });

  it('survives going back past the age: the original is judged at the age it was given (12), not the corrected one (13)', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, { ...upToOverrides, 'screen-age': '12' });
    expect(c.say('sexual-activity').messages[0].text).toMatch(/category 4/);
    c.say('back');
    c.say('back');
    expect(c.question().id).toBe('screen-age');
    c.say('13');
    expect(c.question().id).toBe('concern-overrides');
    const now = c.say('none');
    expect(now.messages[0].text).toMatch(corrected);
    expect(audits(now.effects, 'override-correction')).toEqual([
      expect.objectContaining({ originalFacts: ['sexual-activity'], originalFired: ['sexual-activity-under-13'], facts: [] }),
    ]);
  });

  it('to another override keeps the new one in force and says what was corrected', () => {
    const c = firedThenBack();
    const now = c.say('older-partner');
    expect(now.messages[0].text).toMatch(corrected);
    expect(now.messages[1].text).toMatch(/safety override: this is category 3/);
    expect(audits(now.effects, 'override-correction')).toEqual([
      expect.objectContaining({ originalFired: ['adult-image-request'], fired: ['older-partner-13-15'], category: 3, urgency: 'same-day' }),
    ]);
  });

  it('from "Is this exploitation?": said and audited before the screening starts', () => {
    const c = conversation();
    c.say('Is this exploitation?');
    answerUntil(c, upToOverrides);
    c.say('adult-image-request');
    expect(c.question().id).toMatch(/^screen-/);
    c.say('back');
    expect(c.question().id).toBe('concern-overrides');
    const now = c.say('none');
    expect(now.messages[0].text).toMatch(corrected);
    expect(audits(now.effects, 'override-correction')).toEqual([expect.objectContaining({ originalFacts: ['adult-image-request'], facts: [] })]);
    expect(c.question().id).toMatch(/^screen-/);
  });

  it('giving the same answer again is no correction: the override stands and nothing is added', () => {
    const c = firedThenBack();
    const now = c.say('adult-image-request');
    expect(now.messages.map((m) => m.text).join('\n')).not.toMatch(corrected);
    expect(audits(now.effects, 'override-correction')).toEqual([]);
    answerUntil(c, { 'concern-kind': 'Neglect', ...noCp });
    expect(results(c.messages)[0].value).toMatchObject({ category: 4, urgency: 'immediate' });
  });
});

describe('correcting an answer that fired nothing', () => {
  /** The messages and effects of one walk, with `back` and the same answer again at `concern-overrides` when `withBack`. */
  function walk(withBack: boolean, answer: string) {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, triageChild('14'));
    if (withBack) {
      c.say('back');
      c.say(answer);
    }
    answerUntil(c, { 'concern-kind': 'Neglect', ...noCp });
    answerUntil(c, referral, 'ref-confirm');
    return c;
  }

  it('adds nothing: no words, no correction record, the same result and the same check-your-answers text', () => {
    const plain = walk(false, 'none');
    const corrected2 = walk(true, 'none');
    const texts = (c: ReturnType<typeof walk>) => c.messages.map((m) => m.text).filter((t) => !/Going back one step/.test(t));
    expect(texts(corrected2).join('\n')).not.toMatch(corrected);
    expect(audits(corrected2.effects, 'override-correction')).toEqual([]);
    expect(results(corrected2.messages)[0].text).toBe(results(plain.messages)[0].text);
    expect(corrected2.lastText()).toBe(plain.lastText());
    expect(corrected2.lastText()).not.toMatch(/Corrected answer/);
  });

  it('to an answer that fires an override applies it in full (nothing lowered, nothing to record as a correction)', () => {
    const c = walk(true, 'disclosure');
    expect(audits(c.effects, 'override-correction')).toEqual([]);
    expect(results(c.messages)[0].value).toMatchObject({ category: 4, urgency: 'immediate' });
    expect(c.lastText()).not.toMatch(/Corrected answer/);
  });
});
