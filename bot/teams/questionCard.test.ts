import { expect } from '@jest/globals';
import type { OutgoingMessage } from '../../flows';
import { cardProblems, roundTrip } from '../../test/support/adaptiveCards';
import { anyObject, jsonAs } from '../../test/support/json';
import { categoryThreeAnswers, lastOf, pack, runtimeConversation } from '../../test/support/runtimeConversation';
import type { AdaptiveCard, CardAction, CardElement, ExecuteAction } from './cardElements';
import { cardContextOf } from './cardWords';
import { questionCard, questionOf } from './questionCard';

const context = cardContextOf(pack);

function cardFor(message: OutgoingMessage): AdaptiveCard {
  const question = questionOf(message);
  if (!question) throw new Error(`not a question: ${message.text}`);
  return questionCard(message, question, context.limitsOf(question.id), context.say);
}

/** Every question the category-3 screening asks, by id, as the runtime sent it. */
function screeningQuestions(): Map<string, OutgoingMessage> {
  const c = runtimeConversation();
  const asked = new Map<string, OutgoingMessage>([['menu', lastOf(c.started.messages)]]);
  for (const answer of categoryThreeAnswers) {
    const question = lastOf(c.say(answer).messages);
    asked.set(String(question.value?.id), question);
  }
  return asked;
}

const questions = screeningQuestions();
const question = (id: string) => {
  const found = questions.get(id);
  if (!found) throw new Error(`the screening did not ask ${id}`);
  return found;
};

const isAnswerButton = (a: CardAction): a is ExecuteAction => a.verb === 'answer';
const buttonsIn = (body: CardElement[]): ExecuteAction[] => body.flatMap((e) => (e.type === 'ActionSet' ? e.actions.filter(isAnswerButton) : []));
const inputIn = (card: AdaptiveCard) => card.body.find((e) => e.type.startsWith('Input.'));
const texts = (card: AdaptiveCard) => card.body.flatMap((e) => (e.type === 'TextBlock' ? [e.text] : []));

describe('question cards', () => {
  it.each([...questions.keys()])('%s parses with no Adaptive Card warnings and keeps every property', (id) => {
    const card = cardFor(question(id));
    expect(cardProblems(card)).toEqual([]);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    // What the library reads back has every property we set: none is unknown to version 1.5.
    expect(roundTrip(card)).toMatchObject(jsonAs(JSON.stringify({ body: card.body, actions: card.actions }), anyObject));
  });

  it('gives each menu choice an Action.Execute button carrying question, turn and value, one per row', () => {
    const menu = question('menu');
    const card = cardFor(menu);
    const choices = menu.value?.choices as Array<{ value: string; title: string }>;
    expect(choices.length).toBeGreaterThan(3);
    expect(card.body.filter((e) => e.type === 'ActionSet')).toHaveLength(choices.length);
    expect(buttonsIn(card.body).map((b) => [b.type, b.verb, b.title, b.data])).toEqual(
      choices.map((c) => ['Action.Execute', 'answer', c.title, { questionId: 'menu', turnId: 1, answer: c.value }]),
    );
    expect(card.actions).toBeUndefined();
    // The numbered list is for typing; the buttons replace it on the card, the fallback keeps it.
    expect(texts(card)).toEqual(['What would you like to do?']);
    expect(card.fallbackText).toBe(menu.text);
  });

  it('puts yes and no side by side', () => {
    const card = cardFor(question('screen-immediate-danger'));
    const sets = card.body.filter((e) => e.type === 'ActionSet');
    expect(sets).toHaveLength(1);
    expect(buttonsIn(card.body).map((b) => b.data.answer)).toEqual(['yes', 'no']);
  });

  it('asks a number with the pack range as validation', () => {
    const card = cardFor(question('screen-age'));
    expect(inputIn(card)).toMatchObject({ type: 'Input.Number', id: 'answer', isRequired: true, min: 0, max: 25, errorMessage: expect.stringMatching(/0 to 25/) });
    expect(card.actions).toEqual([expect.objectContaining({ type: 'Action.Execute', verb: 'answer', data: { questionId: 'screen-age', turnId: expect.any(Number) } })]);
  });

  it('asks free text with the pack length limit, multi-line for long answers', () => {
    const card = cardFor(question('screen-narrative'));
    expect(inputIn(card)).toMatchObject({ type: 'Input.Text', id: 'answer', isRequired: true, maxLength: 2000, isMultiline: true, errorMessage: expect.stringMatching(/2000/) });
  });

  it('asks a multichoice as a multi-select choice set, with a "None of these" button that ignores it', () => {
    const asked = question('screen-confirm-detected');
    const card = cardFor(asked);
    const choices = asked.value?.choices as Array<{ value: string; title: string }>;
    expect(inputIn(card)).toMatchObject({ type: 'Input.ChoiceSet', id: 'answer', isMultiSelect: true, style: 'expanded', isRequired: true, choices });
    const [send, none] = card.actions ?? [];
    expect(send).toMatchObject({ verb: 'answer', data: { questionId: 'screen-confirm-detected' } });
    expect(send.data).not.toHaveProperty('answer'); // the choice set's "a,b" becomes `answer`
    expect(send.associatedInputs).toBeUndefined();
    expect(none).toMatchObject({ title: 'None of these', verb: 'answer', associatedInputs: 'none', data: { questionId: 'screen-confirm-detected', answer: 'none' } });
  });

  it('keeps a list\'s own "none" choice out of the boxes: it is the "None of these" button (issue 20 item 4)', () => {
    const asked = question('concern-overrides');
    const listed = asked.value?.choices as Array<{ value: string; title: string }>;
    expect(listed.map((c) => c.value)).toContain('none');
    const card = cardFor(asked);
    expect(cardProblems(card)).toEqual([]);
    const input = inputIn(card) as { choices: Array<{ value: string }> } | undefined;
    expect(input?.choices.map((c) => c.value)).toEqual(listed.filter((c) => c.value !== 'none').map((c) => c.value));
    const none = (card.actions ?? []).filter((a) => 'answer' in a.data && a.data.answer === 'none');
    expect(none).toEqual([expect.objectContaining({ title: 'None of these', associatedInputs: 'none' })]);
  });

  it('says "Question N of about M" under a flow\'s question, and nothing on the menu (issue 20 item 6)', () => {
    const narrative = question('screen-narrative');
    const progress = narrative.value?.progress as { current: number; about: number };
    expect(progress.current).toBeGreaterThanOrEqual(1);
    expect(texts(cardFor(narrative))).toContain(`Question ${progress.current} of about ${progress.about}`);
    expect(texts(cardFor(narrative))[0]).toBe(narrative.text.split('\n\n')[0]); // the question comes first
    expect(texts(cardFor(question('menu'))).some((t) => /^Question \d+ of about/.test(t))).toBe(false);
  });

  it('asks a date with a date picker', () => {
    const message: OutgoingMessage = {
      text: 'What is their date of birth?',
      value: { type: 'safeguarding.question', id: 'ref-child-dob', expects: 'date', turnId: 7 },
    };
    const card = cardFor(message);
    expect(cardProblems(card)).toEqual([]);
    expect(inputIn(card)).toMatchObject({ type: 'Input.Date', id: 'answer', isRequired: true });
    expect(card.actions?.[0].data).toEqual({ questionId: 'ref-child-dob', turnId: 7 });
  });

  it('leaves a multichoice with nothing left to offer with only "None of these"', () => {
    const message: OutgoingMessage = { text: 'Anything else?', value: { type: 'safeguarding.question', id: 'screen-people', expects: 'multichoice', choices: [], turnId: 3 } };
    const card = cardFor(message);
    expect(cardProblems(card)).toEqual([]);
    expect(inputIn(card)).toBeUndefined();
    expect(card.actions?.filter(isAnswerButton).map((a) => a.data.answer)).toEqual(['none']);
  });

  it('does not take a message that is not a question', () => {
    expect(questionOf({ text: 'Hello.' })).toBeUndefined();
    expect(questionOf({ text: 'x', value: { type: 'safeguarding.question', id: 'menu' } })).toBeUndefined();
  });
});
