import { assign, emit, sendTo, setup } from 'xstate';
import type { ContentPack } from '../content/packSchema';
import type { FlowEmitted } from '../protocol';
import type { ScreeningSummary } from '../screening/outcome';
import { createCoordinatorMachine } from './coordinator/coordinatorMachine';
import type { CarriedInput, CarriedReferral, FlowOutput, MenuOption, RootEvent } from './flowKit';
import { createIntelligenceMachine } from './intelligence/intelligenceMachine';
import { createReferralMachine } from './referral/referralMachine';
import { createScreeningMachine } from './screening/screeningMachine';
import type { ConsentCarry } from './sharing/sharingDecision';
import { createSharingMachine } from './sharing/sharingMachine';

/**
 * What the root keeps between flows: the latest screening and the latest sharing decision's consent
 * answer, so a referral neither screens nor asks about consent again. The runtime's `back` replays from
 * the snapshot of the last checkpoint (`ConversationRecord.base`), so this survives going back too.
 */
export interface RootContext {
  screening?: ScreeningSummary;
  consent?: ConsentCarry;
  /** The last referral filed here: a coordinator handoff names it. */
  referral?: CarriedReferral;
}

function picked(event: RootEvent, option: MenuOption): boolean {
  return (event.type === 'ANSWER' && event.value === option) || (event.type === 'INTENT' && event.intent === option);
}

const outputOf = (event: unknown): FlowOutput | undefined => (event as { output?: FlowOutput }).output;

const menuRoutes = [
  { guard: { type: 'picked', params: { option: 'share' } }, target: 'sharing' },
  { guard: { type: 'picked', params: { option: 'screen' } }, target: 'screening' },
  { guard: { type: 'picked', params: { option: 'refer' } }, target: 'referral' },
  { guard: { type: 'picked', params: { option: 'intelligence' } }, target: 'intelligence' },
  { guard: { type: 'picked', params: { option: 'coordinator' } }, target: 'coordinator' },
  { guard: { type: 'picked', params: { option: 'advice' } }, actions: { type: 'show', params: { view: 'advice-lines' } } },
  { guard: { type: 'picked', params: { option: 'help' } }, actions: { type: 'say', params: { key: 'help' } } },
  // Starting again forgets what was carried: the next referral may be about another child.
  { guard: { type: 'picked', params: { option: 'restart' } }, actions: [{ type: 'say', params: { key: 'restarted' } }, 'forget'] },
] as const;

/** Where any flow's output leads; every way out first keeps what the flow hands on (`carry`). */
const afterFlow = [
  { guard: { type: 'nextIs', params: { option: 'advice' } }, target: 'menu', actions: ['carry', { type: 'show', params: { view: 'advice-lines' } }] },
  { guard: { type: 'nextIs', params: { option: 'screen' } }, target: 'screening', actions: 'carry' },
  { guard: { type: 'nextIs', params: { option: 'refer' } }, target: 'referral', actions: 'carry' },
  { target: 'menu', actions: 'carry' },
] as const;

const carriedInput = ({ context }: { context: RootContext }): CarriedInput => ({
  ...(context.screening ? { screening: context.screening } : {}),
  ...(context.consent ? { consent: context.consent } : {}),
  ...(context.referral ? { referral: context.referral } : {}),
});

/**
 * The root machine of every conversation: the main menu, which routes to each flow. A flow is a child
 * machine invoked with id `flow` (registered by string key in `actors` so snapshots persist); answers are
 * forwarded to it, its `FLOW.EMIT` events are re-emitted to the runtime, and its output says where to go
 * next. States that ask something name the pack question in `meta.question`. No `after` timers: persisted
 * machines lose delays on restore, so deadlines live in context.
 *
 * A referral needs a screening. When none is carried, the referral flow says so and finishes with
 * `next: 'screen'`; the root then runs the screening (`screeningForReferral`) and, when it gives a result
 * (any category, 0 included), the referral again, now with the screening. A screening that leaves for 999
 * or the LADO gives no result and goes where its output says, as it would from the menu.
 */
export function createConversationMachine(pack: ContentPack) {
  return setup({
    types: {
      context: {} as RootContext,
      events: {} as RootEvent,
      emitted: {} as FlowEmitted,
    },
    actors: {
      sharing: createSharingMachine(pack),
      screening: createScreeningMachine(pack),
      referral: createReferralMachine(pack),
      intelligence: createIntelligenceMachine(pack),
      coordinator: createCoordinatorMachine(pack),
    },
    guards: {
      picked: ({ event }, params: { option: MenuOption }) => picked(event, params.option),
      nextIs: ({ event }, params: { option: MenuOption | 'menu' }) => outputOf(event)?.next === params.option,
      screened: ({ event }) => outputOf(event)?.screening !== undefined,
    },
    actions: {
      say: emit((_, params: { key: string }) => ({ type: 'say' as const, key: params.key })),
      show: emit((_, params: { view: string }) => ({ type: 'show' as const, view: params.view })),
      relay: emit(({ event }) => (event as Extract<RootEvent, { type: 'FLOW.EMIT' }>).emitted),
      forward: sendTo('flow', ({ event }) => event),
      carry: assign(({ context, event }) => {
        const output = outputOf(event);
        if (output?.filed) {
          const { screening } = context;
          const referral = output.clientReference ? { clientReference: output.clientReference, ...(screening ? { category: screening.category, urgency: screening.urgency } : {}) } : context.referral;
          return { screening: undefined, consent: undefined, referral };
        }
        return { screening: output?.screening ?? context.screening, consent: output?.consent ?? context.consent };
      }),
      forget: assign({ screening: undefined, consent: undefined, referral: undefined }),
    },
  }).createMachine({
    id: 'conversation',
    // 3: "Talk to a coordinator", from the menu or by name at any question with buttons.
    version: '3',
    context: {},
    initial: 'menu',
    on: {
      'FLOW.EMIT': { actions: 'relay' },
      // Asking for a coordinator leaves whatever flow is running: the professional asked for a person.
      INTENT: { guard: { type: 'picked', params: { option: 'coordinator' } }, target: '.coordinator' },
    },
    states: {
      menu: {
        tags: ['menu'],
        meta: { question: 'menu' },
        on: {
          ANSWER: [...menuRoutes],
          INTENT: [...menuRoutes],
        },
      },
      // "Should I share this?" (issue 3). Its output carries the consent answer the referral takes on.
      sharing: {
        invoke: { id: 'flow', src: 'sharing', onDone: [...afterFlow] },
        on: { ANSWER: { actions: 'forward' } },
      },
      // "Is this exploitation?" (issue 4). Its output carries the summary the referral takes on.
      screening: {
        invoke: { id: 'flow', src: 'screening', input: {}, onDone: [...afterFlow] },
        on: { ANSWER: { actions: 'forward' } },
      },
      // Filing the referral (issue 5), from what the conversation carries.
      referral: {
        invoke: {
          id: 'flow',
          src: 'referral',
          input: carriedInput,
          onDone: [{ guard: { type: 'nextIs', params: { option: 'screen' } }, target: 'screeningForReferral' }, ...afterFlow],
        },
        on: { ANSWER: { actions: 'forward' } },
      },
      // The screening a referral asked for: any result goes on to the referral.
      screeningForReferral: {
        invoke: {
          id: 'flow',
          src: 'screening',
          input: { thenRefer: true },
          onDone: [{ guard: 'screened', target: 'referral', actions: 'carry' }, ...afterFlow],
        },
        on: { ANSWER: { actions: 'forward' } },
      },
      // "Talk to a coordinator" (issue 8): a handoff with what the conversation carries.
      coordinator: {
        invoke: { id: 'flow', src: 'coordinator', input: carriedInput, onDone: [...afterFlow] },
        on: { ANSWER: { actions: 'forward' } },
      },
      // "Share intelligence" (issue 5): soft intelligence as VOLT, not a referral.
      intelligence: {
        invoke: { id: 'flow', src: 'intelligence', onDone: [...afterFlow] },
        on: { ANSWER: { actions: 'forward' } },
      },
    },
  });
}

export type ConversationMachine = ReturnType<typeof createConversationMachine>;
