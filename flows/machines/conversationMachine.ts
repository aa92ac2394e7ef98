import { emit, sendTo, setup } from 'xstate';
import type { ContentPack } from '../content/packSchema';
import type { FlowEmitted } from '../protocol';
import type { FlowOutput, MenuOption, RootEvent } from './flowKit';
import { createScreeningMachine } from './screening/screeningMachine';
import { createSharingMachine } from './sharing/sharingMachine';

function picked(event: RootEvent, option: MenuOption): boolean {
  return (event.type === 'ANSWER' && event.value === option) || (event.type === 'INTENT' && event.intent === option);
}

const menuRoutes = [
  // Placeholders until the flows land: each is replaced by `target: '<flow state>'` (issues 3, 4, 5).
  { guard: { type: 'picked', params: { option: 'share' } }, target: 'sharing' },
  { guard: { type: 'picked', params: { option: 'screen' } }, target: 'screening' },
  { guard: { type: 'picked', params: { option: 'refer' } }, actions: { type: 'say', params: { key: 'coming-soon-refer' } } },
  { guard: { type: 'picked', params: { option: 'advice' } }, actions: { type: 'show', params: { view: 'advice-lines' } } },
  { guard: { type: 'picked', params: { option: 'help' } }, actions: { type: 'say', params: { key: 'help' } } },
  { guard: { type: 'picked', params: { option: 'restart' } }, actions: { type: 'say', params: { key: 'restarted' } } },
] as const;

/**
 * The root machine of every conversation: the main menu, which routes to each flow. A flow is a child
 * machine invoked with id `flow` (registered by string key in `actors` so snapshots persist); answers are
 * forwarded to it, its `FLOW.EMIT` events are re-emitted to the runtime, and its output says where to go
 * next. States that ask something name the pack question in `meta.question`. No `after` timers: persisted
 * machines lose delays on restore, so deadlines live in context.
 */
export function createConversationMachine(pack: ContentPack) {
  return setup({
    types: {
      events: {} as RootEvent,
      emitted: {} as FlowEmitted,
    },
    actors: { sharing: createSharingMachine(pack), screening: createScreeningMachine(pack) },
    guards: {
      picked: ({ event }, params: { option: MenuOption }) => picked(event, params.option),
      nextIs: ({ event }, params: { option: MenuOption | 'menu' }) =>
        (event as unknown as { output?: FlowOutput }).output?.next === params.option,
    },
    actions: {
      say: emit((_, params: { key: string }) => ({ type: 'say' as const, key: params.key })),
      show: emit((_, params: { view: string }) => ({ type: 'show' as const, view: params.view })),
      relay: emit(({ event }) => (event as Extract<RootEvent, { type: 'FLOW.EMIT' }>).emitted),
      forward: sendTo('flow', ({ event }) => event),
    },
  }).createMachine({
    id: 'conversation',
    version: '1',
    initial: 'menu',
    on: { 'FLOW.EMIT': { actions: 'relay' } },
    states: {
      menu: {
        tags: ['menu'],
        meta: { question: 'menu' },
        on: {
          ANSWER: [...menuRoutes],
          INTENT: [...menuRoutes],
        },
      },
      // "Should I share this?" (issue 3). The referral says "coming soon" until its flow lands (issue 5).
      sharing: {
        invoke: {
          id: 'flow',
          src: 'sharing',
          onDone: [
            { guard: { type: 'nextIs', params: { option: 'advice' } }, target: 'menu', actions: { type: 'show', params: { view: 'advice-lines' } } },
            { guard: { type: 'nextIs', params: { option: 'screen' } }, target: 'screening' },
            { guard: { type: 'nextIs', params: { option: 'refer' } }, target: 'menu', actions: { type: 'say', params: { key: 'coming-soon-refer' } } },
            { target: 'menu' },
          ],
        },
        on: { ANSWER: { actions: 'forward' } },
      },
      // "Is this exploitation?" (issue 4). Its output carries a summary the referral (issue 5) will take on.
      screening: {
        invoke: {
          id: 'flow',
          src: 'screening',
          onDone: [
            { guard: { type: 'nextIs', params: { option: 'advice' } }, target: 'menu', actions: { type: 'show', params: { view: 'advice-lines' } } },
            { guard: { type: 'nextIs', params: { option: 'refer' } }, target: 'menu', actions: { type: 'say', params: { key: 'coming-soon-refer' } } },
            { target: 'menu' },
          ],
        },
        on: { ANSWER: { actions: 'forward' } },
      },
    },
  });
}

export type ConversationMachine = ReturnType<typeof createConversationMachine>;
