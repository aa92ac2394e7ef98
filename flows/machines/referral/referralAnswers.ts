import type { AnswerIdentity, AnswerValue } from '../../protocol';
import { childIdentifiersOf } from '../../validation/childIdentifiers';
import { skipped } from '../flowKit';
import { detailsAnswersOf } from './detailsForm';
import { firstNameWithout, namePartsOf } from './referralName';
import { isSectionQuestion, referralQuestions as Q } from './referralQuestions';
import { entriesOf } from './referralSections';
import { usableNarrative } from './referralText';

/*
 * How an answer is kept in the referral's answers, whether it was typed or came in a form (issue 21 item
 * 7): one rule for both, so a form records exactly what typing the same answers would.
 */

type Answers = Record<string, AnswerValue>;

/** What the recording needs of the referral besides its answers. */
export interface RecordingContext {
  answers: Answers;
  screening?: { narrative?: string };
  by?: AnswerIdentity;
}

/**
 * The NHS number and UPN one answer to `ref-child-nhs` gives (issue 21 item 7). "Skip" skips both; an NHS
 * number alone still asks the UPN (`ref-child-upn`, as before, so saved conversations go on as they did);
 * a UPN given here is not asked again. An answer never overwrites an identifier already given.
 */
function childIdsOf(answers: Answers, question: string, value: AnswerValue): Answers {
  if (question !== Q.nhs || typeof value !== 'string') return {};
  if (value === skipped) return { [Q.upn]: answers[Q.upn] ?? skipped };
  const ids = childIdentifiersOf(value);
  return { [Q.nhs]: ids.nhs ?? answers[Q.nhs] ?? skipped, ...(ids.upn ? { [Q.upn]: ids.upn } : {}) };
}

/** The name answers a first or last name answer gives: both from a whole name, the first without the last once that is typed. */
function childNameOf(answers: Answers, question: string, value: AnswerValue): Answers {
  const parts = question === Q.firstName ? namePartsOf(value) : undefined;
  if (parts) return { [Q.firstName]: parts.first, [Q.lastName]: parts.last };
  const first = question === Q.lastName ? firstNameWithout(answers[Q.firstName], value) : undefined;
  return first ? { [Q.firstName]: first } : {};
}

/** The answers once `value` is the answer to `question`, as typed or as one of a form's. */
export function answersWith(context: RecordingContext, question: string, value: AnswerValue): Answers {
  // "Use what I wrote" sends the screening narrative itself.
  const keep = question === Q.summary && value === 'keep' ? usableNarrative(context.screening?.narrative) : undefined;
  // "Use this number" sends the sign-in's phone itself.
  const phone = question === Q.phone && value === 'keep' ? context.by?.phone : undefined;
  // A section keeps every entry, one per answer; a section form gives several at once.
  const added = Array.isArray(value) ? value : [String(value)];
  const entries = isSectionQuestion(question) ? [...entriesOf(context.answers[question]), ...added] : undefined;
  const answers = {
    ...context.answers,
    [question]: entries ?? phone ?? keep ?? value,
    ...childNameOf(context.answers, question, value),
    ...childIdsOf(context.answers, question, value),
  };
  // A new family answer asks its reason again (or no longer needs one).
  if (question === Q.familyAware) for (const reason of [Q.notToldReason, Q.confidential]) delete answers[reason];
  return answers;
}

/**
 * The answers once a details form's are kept, one question at a time as if typed. A last name given in its
 * own field is taken as given, so the first name field is not split; a date of birth forgets an age.
 */
export function answersWithForm(context: RecordingContext, value: AnswerValue): Answers {
  const given = detailsAnswersOf(value) ?? new Map<string, string>();
  let answers = context.answers;
  for (const [question, answer] of given) {
    const literal = question === Q.firstName && given.has(Q.lastName);
    answers = literal ? { ...answers, [question]: answer } : answersWith({ ...context, answers }, question, answer);
  }
  if (!given.has(Q.dob) || given.get(Q.dob) === 'unknown') return answers;
  const { [Q.age]: _age, ...withoutAge } = answers;
  void _age;
  return withoutAge;
}
