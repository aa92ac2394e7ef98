import { expect } from '@jest/globals';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { createActor, createMachine, getNextSnapshot, sendTo, type AnyMachineSnapshot, type SnapshotFrom } from 'xstate';
import { loadDefaultPack } from '../../content/loadPack';
import type { AnswerValue, FlowEmitted, FlowEvent } from '../../protocol';
import { activeQuestion } from '../../runtime';
import type { FlowEmitEvent, FlowOutput } from '../flowKit';
import { createScreeningMachine, type ScreeningInput } from './screeningMachine';
import { indicatorQuestionIds } from './screeningTestKit';

const pack = loadDefaultPack();
// Walked on its own the machine has no parent to report to, so reporting is a no-op here; the parent
// tests below and the runtime tests check what is reported.
const machine = createScreeningMachine(pack).provide({
  actions: { sendResult: () => undefined, sendEmergency: () => undefined, sendLado: () => undefined, sendOtherHarm: () => undefined, sendHandover: () => undefined },
});

type ScreeningSnapshot = SnapshotFrom<typeof machine>;

const answer = (questionId: string, value: AnswerValue): FlowEvent => ({ type: 'ANSWER', questionId, value });

/** A finite set of answers per question that takes every branch: skips, the floor, the adult age, raises. */
function allAnswers(snapshot: AnyMachineSnapshot): FlowEvent[] {
  const asked = snapshot.status === 'active' ? activeQuestion(snapshot) : undefined;
  if (!asked) return [];
  const offered = (asked.choices ?? []).map((c) => c.value);
  const each = (values: AnswerValue[]) => values.map((v) => answer(asked.id, v));
  const byQuestion: Record<string, AnswerValue[]> = {
    'screen-about': ['child', 'young-adult', 'staff'],
    'screen-immediate-danger': ['yes', 'no'],
    'screen-age': [11, 15, 20],
    'screen-narrative': ['Nothing specific.', 'Test Child has an older boyfriend and was seen with men in a car.', 'Her dad hit her with a belt.'],
    'screen-other-harm': ['other-route', 'exploitation'],
    'screen-missing-now': ['yes', 'no'],
    'screen-crime': [[], offered.slice(0, 2)],
    'screen-confirm-detected': [[], offered],
    'screen-missing': ['yes', 'no'],
    'screen-missing-count': [1, 3],
    'screen-people': [[], offered.slice(0, 1)],
    'screen-money-online': [[], offered.slice(0, 2)],
    'screen-health-behaviour': [[], offered.slice(0, 1)],
    'screen-critical': [[], offered.slice(0, 1)],
    'screen-vulnerabilities': [[], offered.slice(0, 1)],
    'screen-looked-after-elsewhere': ['yes', 'no'],
    'screen-judgement': ['agree', 'raise'],
    'screen-judgement-reason': ['Known pattern over months'],
  };
  // A list the pack added after these tests were written: nothing, or its first indicator.
  if (!byQuestion[asked.id] && indicatorQuestionIds.includes(asked.id)) return each([[], offered.slice(0, 1)]);
  if (!byQuestion[asked.id]) throw new Error(`no test answers for ${asked.id}`);
  return each(byQuestion[asked.id]);
}

/** Fewer answers, so every simple path can be listed (the library walks all paths to every state). */
function someAnswers(snapshot: AnyMachineSnapshot): FlowEvent[] {
  const all = allAnswers(snapshot);
  const id = activeQuestion(snapshot)?.id ?? '';
  const keep: Record<string, number[]> = {
    'screen-about': [0, 2],
    'screen-age': [0, 2],
    'screen-narrative': [1, 2],
    'screen-crime': [0],
    'screen-missing-count': [1],
    'screen-people': [0],
    'screen-money-online': [0],
    'screen-health-behaviour': [1],
    'screen-looked-after-elsewhere': [0],
  };
  return keep[id] ? keep[id].map((i) => all[i]) : all;
}

// What decides the future of a state; the seed (a digest of every answer) would make each state unique.
const serializeState = (s: ScreeningSnapshot) => {
  const c = s.context;
  return JSON.stringify([s.value, c.about, c.age, c.detected, c.confirmed, c.missingEpisodes, c.lookedAfterElsewhere, c.current?.category, c.otherHarm, c.handedOver]);
};
const walk = { serializeState: serializeState as never };

describe('screening machine, walked by its graph', () => {
  let reachable: ScreeningSnapshot[] = [];
  let finals: ScreeningSnapshot[] = [];
  beforeAll(() => {
    reachable = getShortestPaths(machine, { ...walk, events: allAnswers as never }).map((p) => p.state);
    finals = reachable.filter((s) => s.status === 'done');
  });

  it('never dead-ends: every reachable state is final, or asks a question one of whose answers moves it on', () => {
    expect(reachable.length).toBeGreaterThan(1000);
    for (const state of reachable.filter((s) => s.status !== 'done')) {
      const moved = allAnswers(state).some((event) => serializeState(getNextSnapshot(machine, state, event)) !== serializeState(state));
      expect(moved).toBe(true);
    }
  });

  it('finishes only with a result, an exit route (emergency, lado) or a hand-over to another route', () => {
    expect(new Set(finals.map((s) => s.value))).toEqual(new Set(['done', 'emergency', 'lado', 'handover']));
    for (const state of finals.filter((s) => s.value !== 'handover')) expect(state.context.current !== undefined).toBe(state.value === 'done');
  });

  it('hands over to another route only when it heard another harm, suggesting that harm', () => {
    const handovers = finals.filter((s) => s.value === 'handover');
    expect(handovers.length).toBeGreaterThan(0);
    for (const state of handovers) expect(state.context.otherHarm).toContain('physical-abuse');
  });

  it('never rates a category below a safety override that fired', () => {
    for (const state of finals.filter((s) => s.value === 'done')) {
      const { current } = state.context;
      expect(current?.category).toBeGreaterThanOrEqual(current?.overrides.category ?? 0);
    }
  });

  it('reaches every category and every result pathway', () => {
    const results = finals.filter((s) => s.value === 'done').map((s) => s.context.current);
    expect(new Set(results.map((r) => r?.category))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(new Set(results.map((r) => r?.pathway))).toEqual(new Set(['universal', 'early-help', 'mash-referral', 'adult-safeguarding']));
  });

  it('ends every simple path in a result or an exit route, never lowering a category', () => {
    const paths = getSimplePaths(machine, { ...walk, events: someAnswers as never });
    const complete = paths.filter((p) => p.state.status === 'done');
    expect(complete.length).toBeGreaterThan(40);
    for (const path of paths) {
      const end = path.state;
      if (end.status !== 'done') expect(someAnswers(end).length).toBeGreaterThan(0);
      const categories = path.steps.map((s) => s.state.context.current?.category).filter((c) => c !== undefined);
      categories.forEach((c, i) => expect(c).toBeGreaterThanOrEqual(categories[Math.max(0, i - 1)]));
    }
    for (const path of complete) expect(['done', 'emergency', 'lado', 'handover']).toContain(path.state.value);
  });
});

describe('screening machine, reporting to its parent', () => {
  let output: FlowOutput | undefined;
  let asked: string[] = [];
  let offered: Record<string, string[]> = {};
  function run(events: FlowEvent[], input?: ScreeningInput): FlowEmitted[] {
    const received: FlowEmitted[] = [];
    output = undefined;
    asked = [];
    offered = {};
    const parent = createMachine({
      types: {} as { events: FlowEmitEvent | FlowEvent },
      invoke: { id: 'flow', src: createScreeningMachine(pack), input, onDone: { actions: ({ event }) => (output = event.output as FlowOutput) } },
      on: {
        'FLOW.EMIT': { actions: ({ event }) => received.push(event.emitted) },
        ANSWER: { actions: sendTo('flow', ({ event }) => event) },
      },
    });
    const actor = createActor(parent).start();
    const waiting = () => {
      const child = actor.getSnapshot().children.flow as { getSnapshot(): AnyMachineSnapshot } | undefined;
      const snapshot = child?.getSnapshot();
      return snapshot?.status === 'active' ? activeQuestion(snapshot) : undefined;
    };
    for (const e of events) {
      const question = waiting();
      asked.push(question?.id ?? '(done)');
      if (question?.choices) offered[question.id] = question.choices.map((c) => c.value);
      actor.send(e);
    }
    asked.push(waiting()?.id ?? '(done)');
    return received;
  }

  const upToResult = [
    answer('screen-about', 'child'),
    answer('screen-immediate-danger', 'no'),
    answer('screen-age', 15),
    answer('screen-narrative', 'Test Child has an older boyfriend and gets into cars.'),
    answer('screen-confirm-detected', ['older-partner', 'vehicles']),
    answer('screen-missing', 'no'),
    ...indicatorQuestionIds.map((id) => answer(id, [])),
    { ...answer('screen-looked-after-elsewhere', 'no'), at: '2026-03-02T10:05:00.000Z' },
  ];

  it('sends one result message and one audit effect with the same id, never the narrative', () => {
    const emitted = run(upToResult);
    expect(emitted.map((e) => e.type)).toEqual(['message', 'effect']);
    const [message, effect] = emitted as [Extract<FlowEmitted, { type: 'message' }>, Extract<FlowEmitted, { type: 'effect' }>];
    expect(message.message.value).toMatchObject({ type: 'safeguarding.screeningResult', category: 3, pathway: 'mash-referral', urgency: 'same-day' });
    expect(effect.effect).toMatchObject({
      kind: 'audit.append',
      id: message.message.value?.screeningId,
      payload: { recordType: 'screening', category: 3, recordedAt: '2026-03-02T10:05:00.000Z' },
    });
    expect(JSON.stringify(emitted)).not.toMatch(/Test Child|gets into cars/);
  });

  it('derives the id from the answers and their times, so another conversation gets another id', () => {
    const id = (events: FlowEvent[]) => (run(events)[0] as Extract<FlowEmitted, { type: 'message' }>).message.value?.screeningId;
    const later = upToResult.map((e) => ({ ...e, at: '2026-03-03T09:00:00.000Z' }));
    expect(id(upToResult)).toBe(id(upToResult));
    expect(id(later)).not.toBe(id(upToResult));
  });

  it('issues a second result with its own id when the professional raises the category', () => {
    const emitted = run([...upToResult, answer('screen-judgement', 'raise'), answer('screen-judgement-reason', 'Seen with the same car for months')]);
    const effects = emitted.filter((e): e is Extract<FlowEmitted, { type: 'effect' }> => e.type === 'effect').map((e) => e.effect);
    expect(effects).toHaveLength(2);
    expect(effects[1].id).not.toBe(effects[0].id);
    expect(effects[1].payload).toMatchObject({ category: 4, raised: { from: 3, reason: 'Seen with the same car for months' } });
    // Category 4 cannot be raised further, so the flow ends and hands its summary (with the words) on.
    expect(output).toMatchObject({
      next: 'refer',
      screening: { screeningId: effects[1].id, category: 4, indicators: ['older-partner', 'vehicles'], narrative: expect.stringMatching(/older boyfriend/) },
    });
  });

  it('leaves for 999 on immediate danger and for the LADO on a staff concern', () => {
    expect(run([answer('screen-about', 'child'), answer('screen-immediate-danger', 'yes')])).toMatchObject([
      { type: 'message', message: { value: { type: 'safeguarding.handoff', kind: 'emergency' } } },
    ]);
    expect(run([answer('screen-about', 'staff'), answer('screen-immediate-danger', 'no')])).toMatchObject([
      { type: 'message', message: { value: { type: 'safeguarding.handoff', kind: 'lado' } } },
    ]);
    expect(output).toEqual({ next: 'lado' });
  });

  it('from the triage, asks neither who nor danger nor age, and does not offer confirmed facts again', () => {
    const emitted = run([answer('screen-narrative', 'He is dealing for older lads who threatened him.'), answer('screen-confirm-detected', ['drug-running'])], {
      about: 'child',
      age: 15,
      confirmed: ['threats-violence'],
    });
    expect(asked).toEqual(['screen-narrative', 'screen-confirm-detected', 'screen-missing']);
    expect(offered['screen-confirm-detected']).toEqual(['inappropriate-adults', 'drug-running']);
    expect(emitted).toEqual([]);
  });

  it('counts the facts the triage confirmed: an override fires without asking them again', () => {
    const none = (id: string) => answer(id, []);
    const emitted = run(
      [answer('screen-narrative', 'Nothing specific.'), answer('screen-missing', 'no'), ...indicatorQuestionIds.map(none), answer('screen-looked-after-elsewhere', 'no')],
      { about: 'child', age: 12, confirmed: ['sexual-activity'], thenRefer: true },
    );
    expect(emitted[0]).toMatchObject({ type: 'message', message: { value: { category: 4, urgency: 'immediate', overrides: { fired: [{ id: 'sexual-activity-under-13' }] } } } });
    expect(output).toMatchObject({ next: 'refer', screening: { category: 4, overrides: { category: 4 } } });
  });

  it('hands over to the kind-of-concern question with the harm it heard suggested', () => {
    const emitted = run([answer('screen-narrative', 'Her dad hit her with a belt.'), answer('screen-other-harm', 'other-route')], { about: 'child', age: 7 });
    expect(emitted.map((e) => e.type)).toEqual(['message', 'message']);
    expect(output).toEqual({ next: 'kind', suggestedKind: 'physical-abuse' });
  });

  it('goes to the LADO route for a concern about staff from the triage, asking nothing', () => {
    run([], { about: 'staff' });
    expect(asked).toEqual(['(done)']);
    expect(output).toEqual({ next: 'lado' });
  });

  it("sends a young adult to advice, not to the children's referral, even when a referral was asked for", () => {
    const none = (id: string) => answer(id, []);
    run(
      [
        answer('screen-narrative', 'Nothing specific.'),
        answer('screen-missing', 'no'),
        ...indicatorQuestionIds.map((id) => (id === 'screen-people' ? answer(id, ['older-partner', 'vehicles', 'isolated']) : none(id))),
        answer('screen-looked-after-elsewhere', 'no'),
      ],
      { about: 'young-adult', age: 20, thenRefer: true },
    );
    expect(output).toMatchObject({ next: 'advice', screening: { pathway: 'adult-safeguarding' } });
  });
});
