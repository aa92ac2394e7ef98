import type { ContentPack } from './content/packSchema';

/** A synthetic referral typed answer by answer, in three parts, because a signed-in professional skips the middle one. */
export interface ReferralWalk {
  /**
   * Menu → "Make a referral" → the triage (no danger, a child of 14, no override fact, exploitation) → the
   * screening it runs (category 3; "none" to each of the pack's indicator questions) → the child →
   * consent → the organisation shared with.
   */
  beforeReferrer: string[];
  /** Who is referring: asked only when the sign-in did not say (the name is taken from the channel). */
  referrer: string[];
  /** Issue 21's questions after the referrer: the phone, the child's views not known; the sections are offered at the check. */
  marf: string[];
}

/**
 * The one walk of a referral that the tests (`test/support/referralAnswers.ts`) and `npm run screenshots`
 * (which runs on dist/, hence here and built) both type, so a question added to the flow is answered in
 * one place. Every value is synthetic: "Test Child", born 2012, a 01632 960xxx phone.
 */
export function referralWalk(pack: ContentPack): ReferralWalk {
  const indicators = (pack.screening?.indicatorQuestions ?? []).map(() => 'none');
  return {
    beforeReferrer: [
      'Make a referral',
      'no',
      'A child (under 18)',
      '14',
      'none',
      'Exploitation (sexual or criminal)',
      'She has an older boyfriend and is picked up in a car by men.',
      '1, 2',
      'no',
      ...indicators,
      'no',
      'I agree',
      'Test',
      'Child',
      '14/03/2012',
      '943 476 5919',
      'skip',
      'gl1 2tg',
      'Test School',
      'Use what I wrote',
      'Not asked: it would harm a police inquiry',
      'A public body',
    ],
    referrer: ['Designated safeguarding lead', 'Test School', 'test.teacher@example.org'],
    marf: ['01632 960123', 'skip'],
  };
}
