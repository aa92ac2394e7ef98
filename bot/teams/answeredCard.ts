import type { AnswerValue, OutgoingMessage, ServiceWords } from '../../flows';
import { adaptiveCard, factSet, paragraphs, type AdaptiveCard, type TextBlock } from './cardElements';
import { questionOf, questionText, type ShownQuestion } from './questionCard';

/** The words of the choices picked, or the typed answer itself. */
function answerWords(question: ShownQuestion | undefined, answer: AnswerValue, say: ServiceWords): string {
  const titleOf = (value: string) => question?.choices?.find((c) => c.value === value)?.title ?? value;
  if (Array.isArray(answer)) return answer.length ? answer.map(titleOf).join('; ') : say('card-none-of-these');
  return typeof answer === 'number' ? String(answer) : titleOf(answer);
}

/** The question as asked, without its buttons or inputs. */
function askedText(asked: OutgoingMessage | undefined): TextBlock[] {
  if (!asked) return [];
  const question = questionOf(asked);
  return paragraphs(question ? questionText(asked, question) : asked.text);
}

const note = (text: string): TextBlock => ({ type: 'TextBlock', text, wrap: true, isSubtle: true, spacing: 'Medium' });

/**
 * What an answered card becomes: the question and the answer given, with no live actions, so the card
 * is a record of the conversation and cannot be clicked again.
 */
export function answeredCard(asked: OutgoingMessage | undefined, answer: AnswerValue | undefined, say: ServiceWords): AdaptiveCard {
  const question = asked ? questionOf(asked) : undefined;
  const facts = answer === undefined ? [] : [factSet([{ title: say('card-your-answer'), value: answerWords(question, answer, say) }])];
  return adaptiveCard([...askedText(asked), ...facts]);
}

/** A stale or repeated click: nothing was applied, and the card says so without buttons. */
export function movedOnCard(say: ServiceWords): AdaptiveCard {
  return adaptiveCard([note(say('card-moved-on'))]);
}

/** An answer the question could not take (the runtime re-asks it in a new card). */
export function unusableAnswerCard(asked: OutgoingMessage | undefined, say: ServiceWords): AdaptiveCard {
  return adaptiveCard([...askedText(asked), note(say('card-unusable'))]);
}
