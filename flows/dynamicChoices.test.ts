import { assign, setup } from 'xstate';
import { loadDefaultPack } from './content/loadPack';
import { questionSchema, type ContentPack } from './content/packSchema';
import type { ConversationMachine } from './machines/conversationMachine';
import type { Choice, FlowEvent } from './protocol';
import type { ConversationRecord } from './record';
import { createRuntime } from './runtime';
import { questionMessage } from './views';

// A question whose choices depend on earlier answers: the pack has its words, the flow its choices.
const base = loadDefaultPack();
const pack: ContentPack = {
  ...base,
  questions: { ...base.questions, 'pick-some': { text: 'Which of these?', expects: 'multichoice', dynamicChoices: true } },
};
const offered: Choice[] = [
  { value: 'red', title: 'Red' },
  { value: 'green', title: 'Green' },
  { value: 'blue', title: 'Blue' },
];

const machine = setup({ types: { context: {} as { choices: Choice[]; picked: string[] }, events: {} as FlowEvent } }).createMachine({
  id: 'conversation',
  context: { choices: offered, picked: [] },
  initial: 'asking',
  states: {
    asking: {
      meta: { question: 'pick-some', dynamicChoices: true },
      on: { ANSWER: { target: 'answered', actions: assign({ picked: ({ event }) => (event.type === 'ANSWER' ? (event.value as string[]) : []) }) } },
    },
    answered: { meta: { question: 'menu' } },
  },
}) as unknown as ConversationMachine;

const runtime = createRuntime({ pack, machine });
const meta = { channelId: 'test', userId: 'u1', now: new Date('2026-03-02T10:00:00Z') };
const picked = (record: ConversationRecord) => (record.snapshot.context as { picked: string[] }).picked;

describe('questions with choices from the flow', () => {
  it('shows the flow’s choices, numbered, in the text, the buttons and the value', () => {
    const { messages } = runtime.runTurn(undefined, { kind: 'start' }, meta);
    const question = messages[messages.length - 1];
    expect(question.text).toBe('Which of these?\n\n1. Red\n2. Green\n3. Blue');
    expect(question.suggestedActions).toEqual(offered);
    expect(question.value).toMatchObject({ id: 'pick-some', expects: 'multichoice', choices: offered });
  });

  it.each([
    ['1, 3', ['red', 'blue']],
    ['green and Red', ['green', 'red']],
    ['none', []],
  ])('parses %j against them', (text, expected) => {
    const first = runtime.runTurn(undefined, { kind: 'start' }, meta).record;
    expect(picked(runtime.runTurn(first, { kind: 'text', text }, meta).record)).toEqual(expected);
  });

  it('takes a card submit of their values, and re-asks for one not offered', () => {
    const first = runtime.runTurn(undefined, { kind: 'start' }, meta).record;
    expect(picked(runtime.runTurn(first, { kind: 'submit', answer: ['blue'] }, meta).record)).toEqual(['blue']);
    const { messages } = runtime.runTurn(first, { kind: 'text', text: '4' }, meta);
    expect(messages[0].text).toMatch(/did not catch that/);
  });

  it('stamps each answer with the turn’s time and who answered, so flows never read the clock or the activity', () => {
    const first = runtime.runTurn(undefined, { kind: 'start' }, meta).record;
    expect(runtime.runTurn(first, { kind: 'text', text: '1' }, meta).record.trail).toEqual([
      { type: 'ANSWER', questionId: 'pick-some', value: ['red'], at: '2026-03-02T10:00:00.000Z', by: { channelId: 'test' } },
    ]);
  });

  it('refuses to show such a question without the flow’s choices', () => {
    expect(() => questionMessage(pack, 'pick-some', 1)).toThrow(/takes its choices from the flow/);
  });

  it('lets only a dynamic-choice question leave out its choices in the pack', () => {
    expect(questionSchema.safeParse({ text: 'Which?', expects: 'multichoice', dynamicChoices: true }).success).toBe(true);
    expect(questionSchema.safeParse({ text: 'Which?', expects: 'multichoice' }).success).toBe(false);
  });
});
