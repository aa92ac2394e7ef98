import { loadDefaultPack, referralWalk } from '../../flows';

/** The referral walk the tests and `npm run screenshots` share (flows/referralWalk.ts). */
const walk = referralWalk(loadDefaultPack());

/**
 * Issue 21's questions after the referrer, answered briefly: the phone, the child's views not known (so
 * their words are not asked). The optional sections are offered at the check, so skipping them is sending.
 * The family answer comes from the consent answer (not asked: a police inquiry).
 */
export const marfAnswers = walk.marf;

/**
 * Menu → "Make a referral" → the triage (no danger, a child of 14, no override fact, exploitation) → the
 * screening it runs for exploitation (category 3) → the child → consent → referrer → issue 21's questions.
 */
export const referralAnswers = [...walk.beforeReferrer, ...walk.referrer, ...walk.marf];

/** `referralAnswers` up to the referrer's questions, which a signed-in professional is never asked. */
export const answersBeforeReferrer = walk.beforeReferrer;

/**
 * The same referral with the MARF sections filled by text (issue 21): the child's views quoting her own
 * words, then people and places of concern and the household. Every value is synthetic and distinctive,
 * so a test can search disk and logs for it (`marfSecrets`).
 */
export const marfDetailedAnswers = [
  '01632 960123',
  'She wants it to stop but is scared. She said "Zeb buys me trainers".',
  // Her words were quoted, so straight to the check, which offers the sections one pick at a time
  // (exploitation: people and places of concern first), each returning to the check.
  'Add people and places of concern',
  'Zebedee-Test, about 24, drives a silver Ford Focus TE57 ZBQ, 07700 900456, @zeb_test_handle',
  'place: the car park behind Test Station, GL1 1AA',
  "that's all",
  'Add parents and carers (recommended)',
  'Testmum Carerson, mother, 40, 01632 960001, PR',
  "that's all",
];

/** What of `marfDetailedAnswers` must never be found in plain text: nickname, vehicle, phone, handle, carer, the child's words. */
export const marfSecrets = ['Zebedee-Test', 'TE57 ZBQ', 'TE57ZBQ', '07700 900456', '07700900456', '@zeb_test_handle', 'Testmum Carerson', 'Zeb buys me trainers'];

/** `referralAnswers` with the MARF sections filled instead of skipped. */
export const referralAnswersWithMarf = [...referralAnswers.slice(0, referralAnswers.length - marfAnswers.length), ...marfDetailedAnswers];

/** Polls until `find` returns something, or fails naming what it waited for. */
export async function until<T>(find: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
