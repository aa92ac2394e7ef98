import { assign, enqueueActions, sendParent, setup } from 'xstate';
import type { ContentPack } from '../../content/packSchema';
import { DomainError } from '../../errors';
import type { AnswerIdentity, AnswerValue, FlowEvent } from '../../protocol';
import { clientReferenceOf } from '../../referral/reference';
import { answerOf, askThen, isAnswered, toRuntime, type CarriedInput, type FlowOutput } from '../flowKit';
import { handoffOpening } from './handoffOpening';

export interface CoordinatorContext extends CarriedInput {
  note?: AnswerValue;
  at?: string;
  ref?: string;
  /** Who answered (the sign-in's name, role, organisation): the coordinators see whom they are calling back. */
  by?: AnswerIdentity;
}

const needed = ['handoff-intro', 'handoff-opened'];

/**
 * "Talk to a coordinator" (issue 8): one optional note, then a handoff to the CSE coordinators as an
 * effect (`handoff.open`), carrying the screening result and/or the referral reference this conversation
 * holds, never the child's details. The queue, the coordinators' card and the replies are I/O, done by
 * the service that runs the effect.
 */
export function createCoordinatorMachine(pack: ContentPack) {
  const absent = needed.find((key) => !pack.messages[key]);
  if (absent || !pack.questions['handoff-note']) throw new DomainError('SG-CONTENT-INVALID', `"${absent ?? 'handoff-note'}" is needed by the coordinator flow`);
  return setup({
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- xstate infers the machine's types from this placeholder (typescript-eslint#12376)
    types: { context: {} as CoordinatorContext, input: {} as CarriedInput, events: {} as FlowEvent, output: {} as FlowOutput },
    guards: {
      answered: isAnswered,
    },
    actions: {
      record: assign(({ event }) => {
        const answer = answerOf(event);
        return answer ? { note: answer.value, at: answer.at, ref: answer.ref, by: answer.by } : {};
      }),
      intro: sendParent(toRuntime.say('handoff-intro')),
      open: enqueueActions(({ context, enqueue }) => {
        if (!context.at) throw new DomainError('SG-INTERNAL', 'a handoff was opened without the time of the answer that opened it');
        const handoffId = clientReferenceOf('SGH', { answers: { note: context.note ?? null }, at: context.at, ref: context.ref, counter: 0 });
        const { effect, message } = handoffOpening(pack, {
          handoffId,
          at: context.at,
          note: context.note,
          screening: context.screening,
          referral: context.referral,
          by: context.by,
        });
        enqueue.sendParent(toRuntime.message(message));
        enqueue.sendParent(toRuntime.effect(effect));
      }),
    },
  }).createMachine({
    id: 'coordinator',
    version: '1',
    context: ({ input }) => ({ ...input }),
    entry: 'intro',
    initial: 'note',
    states: {
      note: askThen('handoff-note', 'opened', 'record'),
      opened: { type: 'final', entry: 'open' },
    },
    output: () => ({ next: 'menu' }),
  });
}

export type CoordinatorMachine = ReturnType<typeof createCoordinatorMachine>;
