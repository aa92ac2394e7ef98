import type { AnswerValue } from '../../vocabulary/answers';
import { referralQuestions as Q } from './referralQuestions';

export type { ReferralDraftCarry } from './referralDraftCarry';

/**
 * The states a resumed referral may go on from (the optional sections are offered at the check, issue 21 item 7), in the order asked, each with the answer that lets it be
 * passed over. Consent, the organisation kind and the referrer questions skip themselves (`always`) when
 * what the conversation carries or the sign-in gives already answers them.
 */
export const resumeOrder: ReadonlyArray<{ state: string; question: string }> = [
  { state: 'firstName', question: Q.firstName },
  { state: 'lastName', question: Q.lastName },
  { state: 'dob', question: Q.dob },
  { state: 'age', question: Q.age },
  { state: 'nhs', question: Q.nhs },
  { state: 'upn', question: Q.upn },
  { state: 'postcode', question: Q.postcode },
  { state: 'school', question: Q.school },
  { state: 'summary', question: Q.summary },
  { state: 'consent', question: Q.consent },
  { state: 'orgKind', question: Q.orgKind },
  { state: 'role', question: Q.role },
  { state: 'org', question: Q.org },
  { state: 'email', question: Q.email },
  { state: 'name', question: Q.name },
  { state: 'phone', question: Q.phone },
  { state: 'familyAware', question: Q.familyAware },
  { state: 'childViews', question: Q.childViews },
  { state: 'childsWords', question: Q.childsWords },
];

/** Whether the step asking `question` still waits for an answer in `answers` (the age only when the date of birth is not known). */
export function stillToAsk(answers: Record<string, AnswerValue>, question: string): boolean {
  if (question === Q.age) return answers[Q.dob] === 'unknown' && answers[Q.age] === undefined;
  return answers[question] === undefined;
}

/** The state a resumed draft goes on from: the first one still to ask, else the confirmation. */
export function resumeStateOf(answers: Record<string, AnswerValue>): string {
  return resumeOrder.find((step) => stillToAsk(answers, step.question))?.state ?? 'review';
}

/**
 * "continue referral" (the latest draft) or "continue DR-…" (that one); anything else is not a resume. Not
 * "continue" alone: it answers other questions ("No, carry on").
 */
export function continueCommandOf(text: string): { draftId?: string } | undefined {
  const words = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (['continue referral', 'continue my referral', 'continue draft', 'continue referral draft'].includes(words)) return {};
  const named = /^continue (dr-[0-9a-f]{12})$/.exec(words);
  return named ? { draftId: named[1].toUpperCase() } : undefined;
}
