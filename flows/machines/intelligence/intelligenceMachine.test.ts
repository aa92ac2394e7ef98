import { getSimplePaths } from 'xstate/graph';
import type { AnyMachineSnapshot } from 'xstate';
import { intelligenceBodySchema } from '../../referral/contractMessages';
import type { AnswerIdentity, AnswerValue, FlowEvent } from '../../protocol';
import { activeQuestion } from '../../runtime';
import { at, pack, runFlow } from '../referral/referralTestKit';
import { createIntelligenceMachine } from './intelligenceMachine';

const walkable = createIntelligenceMachine(pack).provide({
  actions: { intro: () => undefined, sayEmpty: () => undefined, sayCancelled: () => undefined, reportShared: () => undefined },
});

const answersByQuestion: Record<string, AnswerValue[]> = {
  'intel-victims': ['Two girls about 14', 'skip'],
  'intel-offenders': ['skip', 'Man called Jay'],
  'intel-locations': ['skip', 'Grey Audi outside the chip shop'],
  'intel-themes': [['cse', 'missing'], []],
  'ref-referrer-role': ['DSL'],
  'ref-referrer-org': ['Test School'],
  'ref-referrer-email': ['dsl@hill.sch.uk'],
  'ref-referrer-name': ['Pat Jones'],
  'intel-confirm': ['submit', 'cancel'],
};

describe.each<[string, AnswerIdentity]>([
  ['a professional the channel does not know', { channelId: 'webchat' }],
  ['a signed-in professional on Teams', { channelId: 'msteams', name: 'Sam', role: 'DSL', organisation: 'Test School', email: 'test.teacher@example.org' }],
])('intelligence flow walked by its graph: %s', (_name, by) => {
  const events = (snapshot: AnyMachineSnapshot): FlowEvent[] => {
    const asked = snapshot.status === 'active' ? activeQuestion(snapshot) : undefined;
    return asked ? answersByQuestion[asked.id].map((value) => ({ type: 'ANSWER', questionId: asked.id, value, at, ref: 'k', by })) : [];
  };
  const paths = getSimplePaths(walkable, { events: events as never, toState: (s) => s.status === 'done' });

  it('ends every path with one intelligence in the outbox on submit, and nothing otherwise', () => {
    expect(paths.length).toBeGreaterThan(20);
    for (const path of paths) {
      const answers = path.steps.map((s) => s.event).filter((e): e is Extract<FlowEvent, { type: 'ANSWER' }> => e.type === 'ANSWER');
      const run = runFlow(createIntelligenceMachine(pack), undefined, answers);
      const last = answers[answers.length - 1];
      expect(run.output).toEqual({ next: 'menu' });
      if (last.questionId === 'intel-confirm' && last.value === 'submit') {
        expect(run.effects.map((e) => e.kind)).toEqual(['outbox.enqueue', 'audit.append']);
        expect(intelligenceBodySchema.safeParse(run.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body).success).toBe(true);
      } else {
        expect(run.effects).toEqual([]);
      }
      // The referrer is asked only for what the sign-in does not give.
      expect(answers.some((e) => e.questionId.startsWith('ref-referrer-'))).toBe(by.email === undefined && path.state.value !== 'empty');
    }
  });
});
