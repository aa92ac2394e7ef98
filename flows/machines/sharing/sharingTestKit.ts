import { createActor, type AnyMachineSnapshot } from 'xstate';
import { loadDefaultPack } from '../../content/loadPack';
import type { Effect, FlowEmitted, FlowEvent, OutgoingMessage } from '../../protocol';
import { activeQuestionId } from '../../runtime';
import { createConversationMachine } from '../conversationMachine';
import type { SharingDecision } from './sharingDecision';

/** Test helpers for the sharing flow: drive the real root machine, as the runtime does, and collect what it emits. */
export const pack = loadDefaultPack();
export const at = '2026-03-02T10:00:00.000Z';

export type Answer = [questionId: string, value: string];

export const answer = ([questionId, value]: Answer, when = at): FlowEvent => ({ type: 'ANSWER', questionId, value, at: when });

export interface Driven {
  asked: string[];
  messages: OutgoingMessage[];
  effects: Effect[];
  decisions: SharingDecision[];
  snapshot: AnyMachineSnapshot;
}

/**
 * Picks "Should I share this?" at the menu and sends `events`, recording which question was waiting before
 * each one, so a test can pin the order of questions as well as the outcome.
 */
export function drive(events: FlowEvent[]): Driven {
  const actor = createActor(createConversationMachine(pack));
  const emitted: FlowEmitted[] = [];
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  actor.send({ type: 'ANSWER', questionId: 'menu', value: 'share', at });
  const asked: string[] = [];
  for (const event of events) {
    asked.push(activeQuestionId(actor.getSnapshot()) ?? '(none)');
    actor.send(event);
  }
  const snapshot = actor.getSnapshot();
  actor.stop();
  const messages = emitted.flatMap((e) => (e.type === 'message' ? [e.message] : []));
  return {
    asked,
    messages,
    effects: emitted.flatMap((e) => (e.type === 'effect' ? [e.effect] : [])),
    decisions: messages.flatMap((m) => (m.value?.type === 'safeguarding.sharingDecision' ? [m.value as SharingDecision] : [])),
    snapshot,
  };
}

/** Answers questions in order, then "Done" at share-next. */
export function decide(answers: Answer[], when = at): Driven {
  return drive([...answers.map((a) => answer(a, when)), answer(['share-next', 'done'], when)]);
}
