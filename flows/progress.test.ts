import { setup } from 'xstate';
import { loadDefaultPack } from './content/loadPack';
import { questionProgress } from './progress';
import { indicatorAnswers } from './machines/screening/screeningTestKit';
import type { OutgoingMessage } from './protocol';
import type { ConversationRecord } from './record';
import { createRuntime } from './runtime';

const runtime = createRuntime({ pack: loadDefaultPack() });

interface Shown {
  id: string;
  progress?: { current: number; about: number };
}

/** One professional's conversation, keeping the question each turn ends on. */
function conversation() {
  let record: ConversationRecord | undefined;
  const asked: Shown[] = [];
  const turn = (text?: string) => {
    const input = text === undefined ? ({ kind: 'start' } as const) : ({ kind: 'text', text } as const);
    const result = runtime.runTurn(record, input, { channelId: 'test', userId: 'u1', now: new Date('2026-03-02T10:00:00Z') });
    record = result.record;
    const messages: OutgoingMessage[] = result.messages;
    asked.push(messages[messages.length - 1].value as unknown as Shown);
    return asked[asked.length - 1];
  };
  turn();
  return { turn, asked };
}

describe('"Question 5 of about 12" (issue 20 item 6)', () => {
  it('counts up through a screening, with "about" sensible at the start and exact at the last question', () => {
    const c = conversation();
    expect(c.asked[0].progress).toBeUndefined(); // the menu is not a step of a flow
    const triage = ['Is this exploitation?', 'no', 'A child (under 18)', '15'].map(c.turn);
    expect(triage.map((q) => q.progress?.current)).toEqual([1, 2, 3, 4]);
    expect(triage.every((q) => q.progress?.about === 4)).toBe(true);
    c.turn('none'); // the triage hands over to the screening, which counts its own questions
    const screening = ['Nothing specific, she just seems quiet.', 'no', ...indicatorAnswers({ 'screen-health-behaviour': 'Drug or alcohol misuse' }), 'no'].map(c.turn);
    const steps = c.asked.slice(5).filter((q) => q.progress);
    expect(steps[0]).toMatchObject({ id: 'screen-narrative', progress: { current: 1 } });
    expect(steps[0].progress!.about).toBeGreaterThanOrEqual(8);
    expect(steps[0].progress!.about).toBeLessThanOrEqual(14);
    for (let i = 1; i < steps.length; i += 1) expect(steps[i].progress!.current).toBe(steps[i - 1].progress!.current + 1);
    for (const step of steps) expect(step.progress!.about).toBeGreaterThanOrEqual(step.progress!.current);
    const last = screening[screening.length - 1];
    expect(last.id).toBe('screen-judgement');
    expect(last.progress!.current).toBe(last.progress!.about);
  });

  it('goes down with "back" and never shows on the restart confirmation', () => {
    const c = conversation();
    c.turn('Is this exploitation?');
    expect(c.turn('no').progress?.current).toBe(2);
    expect(c.turn('back').progress?.current).toBe(1);
    const confirm = c.turn('restart');
    expect(confirm.id).toBe('confirm-restart');
    expect(confirm.progress).toBeUndefined();
  });

  it('shows on every flow a professional starts from the menu', () => {
    for (const start of ['Should I share this?', 'Make a referral']) {
      const c = conversation();
      const first = c.turn(start);
      expect(first.progress).toMatchObject({ current: 1 });
      expect(first.progress!.about).toBeGreaterThan(1);
    }
  });
});

describe('progress is cached per flow, not per conversation (issue 23 item 3)', () => {
  // A flow whose length depends on what an earlier flow carried: the cache must never answer one context with another's count.
  const flow = setup({
    types: { context: {} as { carried: boolean } },
    guards: { carried: ({ context }) => context.carried },
  }).createMachine({
    id: 'twoWays',
    context: { carried: false },
    initial: 'first',
    states: {
      first: { meta: { question: 'q-first' }, on: { ANSWER: 'skipOrAsk' } },
      skipOrAsk: { always: [{ guard: 'carried', target: 'last' }, { target: 'second' }] },
      second: { meta: { question: 'q-second' }, on: { ANSWER: 'third' } },
      third: { meta: { question: 'q-third' }, on: { ANSWER: 'last' } },
      last: { meta: { question: 'q-last' }, on: { ANSWER: 'done' } },
      done: { type: 'final' },
    },
  });

  it('answers each context with its own count, whichever was asked first', () => {
    const about = (carried: boolean) => questionProgress(flow, 'twoWays.first', { carried }, [])?.about;
    expect([about(true), about(false), about(true), about(false)]).toEqual([2, 4, 2, 4]);
  });
});
