import { serviceWordsOf, type OutgoingMessage, type TurnInput } from '../../flows';
import { cardProblems } from '../../test/support/adaptiveCards';
import { lastOf, pack, runtimeConversation } from '../../test/support/runtimeConversation';
import type { TurnOutcome } from '../ports';
import { answerFromAction, cardActionResult } from './cardAction';
import type { AdaptiveCard } from './cardElements';

/** The invoke value Teams sends for one of our buttons, with the question's ids and an answer. */
function invoke(question: OutgoingMessage, answer: unknown) {
  return { action: { type: 'Action.Execute', id: 'x', verb: 'answer', data: { questionId: question.value?.id, turnId: question.value?.turnId, answer } } };
}

/** Runs an invoke's answer through the real runtime, as the bot does, and maps it onto the card. */
function click(c: ReturnType<typeof runtimeConversation>, question: OutgoingMessage, answer: unknown) {
  const input = answerFromAction(invoke(question, answer));
  if (!input) throw new Error('not an answer action');
  const result = c.turn(input);
  const outcome: TurnOutcome = { messages: result.messages, effects: result.effects, attempts: 1, ...(result.submitted ? { submitted: result.submitted } : {}) };
  const mapped = cardActionResult(outcome, serviceWordsOf(pack));
  return { ...mapped, card: mapped.response.value as AdaptiveCard };
}

const isLive = (card: AdaptiveCard) => Boolean(card.actions?.length) || card.body.some((e) => e.type === 'ActionSet' || e.type.startsWith('Input.'));
const textOf = (card: AdaptiveCard) => JSON.stringify(card.body);

describe('answering a card action', () => {
  it('turns the answered card into the question and the chosen answer, with nothing left to click', () => {
    const c = runtimeConversation();
    const menu = lastOf(c.started.messages);
    const { response, card, replies } = click(c, menu, 'screen');
    expect(response).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardProblems(card)).toEqual([]);
    expect(isLive(card)).toBe(false);
    expect(card.body).toContainEqual(expect.objectContaining({ type: 'TextBlock', text: 'What would you like to do?' }));
    expect(card.body).toContainEqual({ type: 'FactSet', facts: [{ title: 'Your answer', value: 'Is this exploitation?' }] });
    expect(lastOf(replies).value).toMatchObject({ type: 'safeguarding.question', id: 'screen-immediate-danger' });
  });

  it('shows the titles of the picked choices of a multichoice', () => {
    const c = runtimeConversation();
    ['screen', 'no', 'child', '15', 'none'].forEach((text) => c.say(text));
    const asked = lastOf(c.say('Older boyfriend, gets into cars.').messages);
    const choices = asked.value?.choices as Array<{ value: string; title: string }>;
    const { card } = click(c, asked, choices.map((x) => x.value).join(','));
    expect(card.body).toContainEqual({ type: 'FactSet', facts: [{ title: 'Your answer', value: choices.map((x) => x.title).join('; ') }] });
  });

  it('refuses a second click with a moved-on card, sends nothing, and keeps the live question answerable', () => {
    const c = runtimeConversation();
    const menu = lastOf(c.started.messages);
    const first = click(c, menu, 'screen');
    const live = lastOf(first.replies);
    const turn = c.record.turn;

    const again = click(c, menu, 'screen');
    expect(again.response.statusCode).toBe(200);
    expect(cardProblems(again.card)).toEqual([]);
    expect(textOf(again.card)).toMatch(/moved on/);
    expect(isLive(again.card)).toBe(false);
    expect(again.replies).toEqual([]);
    expect(c.record.turn).toBe(turn); // the stale click did not move the turn on

    const next = click(c, live, 'no');
    expect(next.card.body).toContainEqual({ type: 'FactSet', facts: [{ title: 'Your answer', value: 'No' }] });
  });

  it('refuses a card for another question even with the current turn id', () => {
    const c = runtimeConversation();
    const menu = lastOf(c.started.messages);
    const { replies } = click(c, menu, 'screen');
    const forged = { ...menu, value: { ...menu.value, turnId: lastOf(replies).value?.turnId } };
    expect(textOf(click(c, forged, 'advice').card)).toMatch(/moved on/);
  });

  it('stops an invalid answer’s card being live and sends the re-ask', () => {
    const c = runtimeConversation();
    ['screen', 'no'].forEach((text) => c.say(text));
    const age = lastOf(c.say('child').messages);
    expect(age.value?.id).toBe('screen-age');
    const { card, replies } = click(c, age, '99');
    expect(isLive(card)).toBe(false);
    expect(textOf(card)).toMatch(/could not use that answer/);
    expect(lastOf(replies).value).toMatchObject({ id: 'screen-age' });
  });
});

describe('reading a card action', () => {
  const data = { questionId: 'menu', turnId: 3, answer: 'advice' };
  it('takes the question, turn and answer from an answer button', () => {
    const input: TurnInput | undefined = answerFromAction({ action: { type: 'Action.Execute', verb: 'answer', data } });
    expect(input).toEqual({ kind: 'submit', ...data });
  });

  it.each([
    ['another verb', { action: { type: 'Action.Execute', verb: 'refresh', data } }],
    ['no turn id (it is what stops a double answer)', { action: { type: 'Action.Execute', verb: 'answer', data: { questionId: 'menu', answer: 'advice' } } }],
    ['no answer', { action: { type: 'Action.Execute', verb: 'answer', data: { questionId: 'menu', turnId: 3 } } }],
    ['no action', {}],
  ])('refuses %s', (_why, value) => {
    expect(answerFromAction(value)).toBeUndefined();
  });
});
