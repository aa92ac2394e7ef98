import { z } from 'zod';
import type { OutgoingMessage, ServiceWords } from '../../flows';
import {
  adaptiveCard,
  answerAction,
  answerInputId,
  paragraphs,
  type ActionSet,
  type AdaptiveCard,
  type AnswerData,
  type CardInput,
  type ExecuteAction,
  type TextBlock,
} from './cardElements';
import { numberHint, type InputLimits } from './cardWords';
import { formActions, formElements, questionFormSchema } from './formCard';

/** The protocol's question value (flows/protocol.ts `QuestionValue`), parsed: the message is a boundary. */
const questionValueSchema = z.object({
  type: z.literal('safeguarding.question'),
  id: z.string().min(1),
  expects: z.enum(['choice', 'yesno', 'multichoice', 'text', 'date', 'number']),
  turnId: z.number().int(),
  choices: z.array(z.object({ value: z.string(), title: z.string() })).optional(),
  progress: z.object({ current: z.number().int().positive(), about: z.number().int().positive() }).optional(),
  form: questionFormSchema.optional(),
});

export type ShownQuestion = z.infer<typeof questionValueSchema>;

/** The question a message asks, or undefined for any other message. */
export function questionOf(message: OutgoingMessage): ShownQuestion | undefined {
  const parsed = questionValueSchema.safeParse(message.value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The question's own words. The runtime appends a numbered list of the choices for people who type; on a
 * card the buttons say the same, so the list goes (typing a number still works).
 */
export function questionText(message: OutgoingMessage, question: ShownQuestion): string {
  const choices = question.choices ?? [];
  const numbered = `\n\n${choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n')}`;
  return choices.length > 0 && message.text.endsWith(numbered) ? message.text.slice(0, -numbered.length) : message.text;
}

/** The runtime refuses longer free text when the pack sets no limit (flows/answers.ts `parseText`). */
const defaultMaxLength = 5000;
/** Short labels sit side by side; long or many go one per row, so no title is cut short. */
const sideBySide = (choices: ShownQuestion['choices'] = []) => choices.length <= 3 && choices.every((c) => c.title.length <= 20);

function choiceButtons(question: ShownQuestion, data: AnswerData): ActionSet[] {
  const choices = question.choices ?? [];
  const actions = choices.map((c) => answerAction(c.title, { ...data, answer: c.value }));
  if (actions.length === 0) return [];
  return sideBySide(choices) ? [{ type: 'ActionSet', actions }] : actions.map((action) => ({ type: 'ActionSet', actions: [action] }));
}

/**
 * A list may carry its own "none" choice (the triage's `concern-overrides`). The card's "None of these"
 * button is that choice, so it is not also a box to tick beside the signs: ticked with them it would send
 * "none,x", an answer that says two things at once.
 */
const noneValue = 'none';
const noneChoiceOf = (question: ShownQuestion) => question.choices?.find((c) => c.value === noneValue);
const signChoices = (question: ShownQuestion) => (question.choices ?? []).filter((c) => c.value !== noneValue);

/** Required inputs carry a label for screen readers (the question itself is the TextBlock above). */
function answerInput(question: ShownQuestion, limits: InputLimits, say: ServiceWords): CardInput | undefined {
  const label = say('card-your-answer');
  switch (question.expects) {
    case 'text': {
      const maxLength = limits.maxLength ?? defaultMaxLength;
      return { type: 'Input.Text', id: answerInputId, label, isRequired: true, maxLength, isMultiline: maxLength > 200, errorMessage: say('card-type-text', { maxLength }) };
    }
    case 'number':
      return { type: 'Input.Number', id: answerInputId, label, isRequired: true, ...numberRange(limits), errorMessage: numberHint(say, limits.min, limits.max) };
    case 'date':
      return { type: 'Input.Date', id: answerInputId, label, isRequired: true, errorMessage: say('card-pick-date') };
    case 'multichoice': {
      const choices = signChoices(question);
      if (choices.length === 0) return undefined;
      return { type: 'Input.ChoiceSet', id: answerInputId, label, isMultiSelect: true, style: 'expanded', choices, isRequired: true, errorMessage: say('card-pick-some') };
    }
    default:
      return undefined;
  }
}

function numberRange({ min, max }: InputLimits): Pick<InputLimits, 'min' | 'max'> {
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

/**
 * Inputs send with one button whose data carries the question and turn ids; the input's value joins the
 * data as `answer` (a multi-select arrives as "a,b"). "None of these" carries its answer itself and
 * ignores the inputs, because an empty required choice set would otherwise block it.
 */
function inputActions(question: ShownQuestion, data: AnswerData, input: CardInput | undefined, say: ServiceWords): ExecuteAction[] {
  const send = input ? [answerAction(say('card-send'), data, { style: 'positive' })] : [];
  if (question.expects !== 'multichoice') return send;
  const title = noneChoiceOf(question)?.title ?? say('card-none-of-these');
  return [...send, answerAction(title, { ...data, answer: noneValue }, { associatedInputs: 'none' })];
}

/** "Question 5 of about 12", quiet, under the question. */
function progressLine(question: ShownQuestion, say: ServiceWords): TextBlock[] {
  if (!question.progress) return [];
  return [{ type: 'TextBlock', text: say('question-progress', question.progress), wrap: true, isSubtle: true }];
}

/**
 * A question as a card: choices as `Action.Execute` buttons (verb `answer`), a multichoice as a
 * multi-select choice set, text, number and date as inputs with the pack's limits. Every action's data
 * names the question and turn, so a stale or repeated click is refused by the runtime, not applied.
 */
export function questionCard(message: OutgoingMessage, question: ShownQuestion, limits: InputLimits, say: ServiceWords): AdaptiveCard {
  const data: AnswerData = { questionId: question.id, turnId: question.turnId };
  // Under the question, so the question stays first on the card and on the record of the answer that replaces it.
  const text = [...paragraphs(questionText(message, question)), ...progressLine(question, say)];
  const fallbackText = message.text;
  // A referral section or the child and the concern: one card of inputs, one Send (issue 21 items 2, 7); typing still works.
  if (question.form) return adaptiveCard([...text, ...formElements(question.form)], { actions: formActions(data, say, question.choices), fallbackText });
  if (question.expects === 'choice' || question.expects === 'yesno') {
    return adaptiveCard([...text, ...choiceButtons(question, data)], { fallbackText });
  }
  const input = answerInput(question, limits, say);
  return adaptiveCard(input ? [...text, input] : text, { actions: inputActions(question, data, input, say), fallbackText });
}
