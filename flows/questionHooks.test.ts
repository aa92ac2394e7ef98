import { assign, setup } from 'xstate';
import { loadDefaultPack } from './content/loadPack';
import type { ContentPack } from './content/packSchema';
import type { ConversationMachine } from './machines/conversationMachine';
import type { FlowEvent, OutgoingMessage, TurnInput } from './protocol';
import type { ConversationRecord } from './record';
import { createRuntime } from './runtime';

// The runtime's generic question hooks, on a toy machine: validators with their reasons, optional
// questions, flow text after the pack's, checkpoints `back` cannot cross, and replay from the last one.
const base = loadDefaultPack();
const skip = { value: 'skip', title: 'Skip', aliases: ['none'] };
const pack: ContentPack = {
  ...base,
  questions: {
    ...base.questions,
    'toy-nhs': { text: 'NHS number?', expects: 'text', validator: 'nhs-number', optional: true, choices: [skip] },
    'toy-age': { text: 'Age?', expects: 'number', validator: 'age-years' },
    'toy-dob': { text: 'Date of birth?', expects: 'date', validator: 'date-of-birth' },
    'toy-check': { text: 'Is this right?', expects: 'yesno' },
  },
};

type Context = { carried: number; note?: string; answers: unknown[] };
const machine = setup({
  types: { context: {} as Context, events: {} as FlowEvent },
  actions: {
    record: assign(({ context, event }) => ({
      answers: event.type === 'ANSWER' ? [...context.answers, event.value] : context.answers,
      note: event.type === 'ANSWER' ? `You said ${JSON.stringify(event.value)}.` : context.note,
    })),
  },
}).createMachine({
  id: 'conversation',
  context: { carried: 0, answers: [] },
  initial: 'menu',
  states: {
    menu: {
      tags: ['menu'],
      meta: { question: 'menu' },
      on: {
        ANSWER: [
          { guard: ({ event }) => event.type === 'ANSWER' && event.value === 'advice', actions: assign({ carried: ({ context }) => context.carried + 1 }) },
          { target: 'nhs' },
        ],
      },
    },
    nhs: { meta: { question: 'toy-nhs' }, on: { ANSWER: { target: 'age', actions: 'record' } } },
    age: { meta: { question: 'toy-age' }, on: { ANSWER: { target: 'dob', actions: 'record' } } },
    dob: { meta: { question: 'toy-dob' }, on: { ANSWER: { target: 'check', actions: 'record' } } },
    check: { meta: { question: 'toy-check', textFrom: 'note' }, on: { ANSWER: { target: 'sent', actions: 'record' } } },
    sent: { tags: ['checkpoint'], meta: { question: 'toy-check' }, on: { ANSWER: { target: 'menu' } } },
  },
}) as unknown as ConversationMachine;

const runtime = createRuntime({ pack, machine });
const now = new Date('2026-03-02T10:00:00Z');

function conversation() {
  let stored: ConversationRecord | undefined;
  const turn = (input: TurnInput) => {
    const result = runtime.runTurn(stored, input, { channelId: 'test', userId: 'u1', now });
    stored = JSON.parse(JSON.stringify(result.record)) as ConversationRecord;
    return result;
  };
  turn({ kind: 'start' });
  return {
    say: (text: string) => turn({ kind: 'text', text }),
    get record() {
      return stored!;
    },
  };
}
const context = (r: ConversationRecord) => r.snapshot.context as Context;
const asked = (messages: OutgoingMessage[]) => messages[messages.length - 1];

describe('question hooks in the runtime', () => {
  it('re-asks with the validator’s reason, and takes the validator’s value', () => {
    const c = conversation();
    c.say('Should I share this?');
    const bad = c.say('943 476 5918');
    expect(bad.messages[0].text).toMatch(/^That NHS number does not add up/);
    expect(asked(bad.messages).value).toMatchObject({ id: 'toy-nhs' });
    c.say('943 476 5919');
    expect(context(c.record).answers).toEqual(['9434765919']);
  });

  it('lets an optional question be skipped by its choice, shown as a button', () => {
    const c = conversation();
    const question = c.say('Should I share this?');
    expect(asked(question.messages).suggestedActions).toEqual([{ value: 'skip', title: 'Skip' }]);
    c.say('none');
    expect(context(c.record).answers).toEqual(['skip']);
  });

  it('reads a number leniently before validating it, and a date of birth against the turn’s time', () => {
    const c = conversation();
    c.say('Should I share this?');
    c.say('skip');
    expect(c.say('about 30').messages[0].text).toMatch(/up to 25/);
    c.say('about 14');
    expect(c.say('03/03/2026').messages[0].text).toMatch(/in the future/);
    c.say('02/03/2026');
    expect(context(c.record).answers).toEqual(['skip', 14, '2026-03-02']);
  });

  it('shows the flow’s text after the pack’s words', () => {
    const c = conversation();
    c.say('Should I share this?');
    c.say('skip');
    c.say('14');
    const check = c.say('14/03/2012');
    expect(asked(check.messages).text).toBe('Is this right?\n\nYou said "2012-03-14".');
  });

  it('replays `back` from the checkpoint it started at, and never crosses a checkpoint', () => {
    const c = conversation();
    c.say('Who can I call?'); // changes what the menu carries (context.carried) without leaving it
    expect(context(c.record).carried).toBe(1);
    c.say('Should I share this?');
    expect(c.record.base).toBeDefined();
    c.say('skip');
    c.say('back');
    c.say('back');
    expect(context(c.record).carried).toBe(1); // a replay from a fresh actor would have lost it
    c.say('Should I share this?');
    for (const text of ['skip', '14', '14/03/2012', 'yes']) c.say(text);
    expect(c.record.trail).toEqual([]);
    expect(c.say('back').messages[0].text).toMatch(/at the start already/);
  });
});
