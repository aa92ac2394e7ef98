import { expect } from '@jest/globals';
import { referralBodySchema } from '../../referral/contract';
import { answerUntil, conversation, exploitationAnswers, physicalAbuseAnswers, signedIn, typedReferral } from './referralTestKit';

/** Issue 21 item 3: the screening category raised from the check page, never lowered, with a reason. */
// The same referral as the answers budget's, typed one question at a time, up to the check.
const toCheck = { ...exploitationAnswers, ...typedReferral };

describe('raising the screening category from the check (issue 21 item 3)', () => {
  it('offers only the categories above, takes a reason, sends it to the MASH, and audits from and to without the words', () => {
    const c = conversation(signedIn);
    c.say('Make a referral');
    expect(answerUntil(c, toCheck, 'ref-confirm')).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- Screening: Category 3 \(moderate\)\n/);
    c.answer('Change something');
    expect(c.question().choices).toContainEqual({ value: 'raise-category', title: 'Raise the screening category' });
    c.answer('Raise the screening category');
    // Only above category 3: never the same or lower.
    expect(c.question().choices?.map((ch) => ch.value)).toEqual(['4']);
    c.answer('Category 4 (significant)');
    expect(c.question().id).toBe('ref-raise-category-reason');
    c.answer('She has been missing three nights this week with the same men.');
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(
      /- Screening: Category 4 \(significant\) \(category raised by you from Category 3 \(moderate\) to Category 4 \(significant\): She has been missing three nights/,
    );
    // At the top now: nothing left to raise.
    c.answer('Change something');
    expect(c.question().choices?.map((ch) => ch.value)).not.toContain('raise-category');
    c.answer('Your phone', '01632 960124');
    const sent = c.say('Send the referral');
    const body = referralBodySchema.parse(c.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body);
    expect(body.screening?.category).toBe(4);
    // A category 4 brings its own urgency, as a raise at the screening does.
    expect(body.urgency).toBe('immediate');
    expect(body.concern.summary).toMatch(
      /category raised by you from Category 3 \(moderate\) to Category 4 \(significant\): She has been missing three nights this week with the same men\./,
    );
    const audit = sent.effects.find((e) => e.kind === 'audit.append' && e.payload.recordType === 'referral')!;
    expect(audit.payload).toMatchObject({ category: 4, categoryRaised: { from: 3, to: 4 } });
    expect(JSON.stringify(audit)).not.toMatch(/missing three nights/);
  });

  it('is not offered for a referral without a screening category (not exploitation)', () => {
    const c = conversation(signedIn);
    c.say('Make a referral');
    expect(
      answerUntil(c, { ...toCheck, ...physicalAbuseAnswers, 'ref-child-dob': '14/03/2019', 'ref-concern-summary': 'Bruises on both arms he would not explain.' }, 'ref-confirm'),
    ).toBe('ref-confirm');
    c.answer('Change something');
    expect(c.question().choices?.map((ch) => ch.value)).not.toContain('raise-category');
  });
});
