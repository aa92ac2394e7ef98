import type { ContentPack } from '../../content/packSchema';
import type { QuestionForm } from '../../protocol';
import { detailsFormMessageKeys, detailsFormOf, readDetailsForm } from './detailsForm';
import type { FormReading } from './formKit';
import { readSectionForm, sectionFormMessageKeys, sectionFormOf } from './sectionForm';

/*
 * The referral's questions that can be answered as one form where the channel shows inputs (issue 21
 * items 2 and 7): each optional section, and the child and the concern. Typing still answers them.
 */

export { formRefusedText, withFormEcho, type FormReading } from './formKit';

/** The form a question shows, in the pack's words; undefined for a question without one. */
export const questionFormOf = (pack: ContentPack, questionId: string): QuestionForm | undefined => sectionFormOf(pack, questionId) ?? detailsFormOf(pack, questionId);

/** A submit to a question with a form, read as that form; undefined when the question has none or the answer is not a form. */
export const readQuestionForm = (pack: ContentPack, questionId: string, answer: unknown, now: Date): FormReading | undefined =>
  readSectionForm(pack, questionId, answer, now) ?? readDetailsForm(pack, questionId, answer, now);

/** Every pack message the forms say: checked when the referral machine is built, not found missing mid-conversation. */
export const questionFormMessageKeys: readonly string[] = [...new Set([...sectionFormMessageKeys, ...detailsFormMessageKeys])];
