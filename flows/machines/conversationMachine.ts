import { assign, emit, sendTo, setup } from 'xstate';
import type { ContentPack } from '../content/packSchema';
import type { FlowEmitted } from '../protocol';
import type { ScreeningSummary } from '../screening/outcome';
import type { TriageSummary } from '../vocabulary/triage';
import { createCoordinatorMachine } from './coordinator/coordinatorMachine';
import type { CarriedInput, CarriedReferral, FlowOutput, MenuOption, RootEvent } from './flowKit';
import type { ReferralDraftCarry } from './referral/referralDraftCarry';
import { createIntelligenceMachine } from './intelligence/intelligenceMachine';
import { createReferralMachine } from './referral/referralMachine';
import type { ReferralDelivery } from './referral/referralPhone';
import { createScreeningMachine } from './screening/screeningMachine';
import type { ConsentCarry } from './sharing/sharingDecision';
import { createSharingMachine } from './sharing/sharingMachine';
import { createTriageMachine, type TriageInput, type TriageMode } from './triage/triageMachine';

/**
 * What the root keeps between flows: the latest screening and the latest sharing decision's consent
 * answer, so a referral neither screens nor asks about consent again. The runtime's `back` replays from
 * the snapshot of the last checkpoint (`ConversationRecord.base`), so this survives going back too.
 */
export interface RootContext {
  screening?: ScreeningSummary;
  /** The latest triage: who, the override facts (asked once), the kind and its urgency. */
  triage?: TriageSummary;
  /** Which menu choice opened the triage: "Make a referral" or "Is this exploitation?". */
  mode?: TriageMode;
  consent?: ConsentCarry;
  /** The last referral filed here: a coordinator handoff names it. */
  referral?: CarriedReferral;
  /** A draft being resumed (issue 20 item 2): handed to the referral it opens, then forgotten. */
  resumed?: ReferralDraftCarry;
}

function picked(event: RootEvent, option: MenuOption): boolean {
  return (event.type === 'ANSWER' && event.value === option) || (event.type === 'INTENT' && event.intent === option);
}

const outputOf = (event: unknown): FlowOutput | undefined => (event as { output?: FlowOutput }).output;

const menuRoutes = [
  { guard: { type: 'picked', params: { option: 'share' } }, target: 'sharing' },
  { guard: { type: 'picked', params: { option: 'screen' } }, target: 'triage', actions: { type: 'open', params: { mode: 'screen' } } },
  { guard: { type: 'picked', params: { option: 'refer' } }, target: 'triage', actions: { type: 'open', params: { mode: 'refer' } } },
  { guard: { type: 'picked', params: { option: 'intelligence' } }, target: 'intelligence' },
  { guard: { type: 'picked', params: { option: 'coordinator' } }, target: 'coordinator' },
  { guard: { type: 'picked', params: { option: 'advice' } }, actions: { type: 'show', params: { view: 'advice-lines' } } },
  { guard: { type: 'picked', params: { option: 'help' } }, actions: { type: 'say', params: { key: 'help' } } },
  // Starting again forgets what was carried: the next referral may be about another child.
  { guard: { type: 'picked', params: { option: 'restart' } }, actions: [{ type: 'say', params: { key: 'restarted' } }, 'forget'] },
] as const;

/**
 * Where any flow's output leads; every way out first keeps what the flow hands on (`carry`). "Screen" and
 * "refer" from another flow (the sharing decision's next step) start at the triage, like the menu's.
 */
const afterFlow = [
  { guard: { type: 'nextIs', params: { option: 'advice' } }, target: 'menu', actions: ['carry', { type: 'show', params: { view: 'advice-lines' } }] },
  { guard: { type: 'nextIs', params: { option: 'screen' } }, target: 'triage', actions: ['carry', { type: 'open', params: { mode: 'screen' } }] },
  { guard: { type: 'nextIs', params: { option: 'refer' } }, target: 'triage', actions: ['carry', { type: 'open', params: { mode: 'refer' } }] },
  { target: 'menu', actions: 'carry' },
] as const;

/** After the triage: the screening for exploitation, the referral for a route that refers, else as any flow. */
const afterTriage = [
  { guard: { type: 'nextIs', params: { option: 'screen' } }, target: 'screening', actions: 'carry' },
  { guard: { type: 'nextIs', params: { option: 'refer' } }, target: 'referral', actions: 'carry' },
  ...afterFlow,
] as const;

/** After the screening: its referral, or back to the triage when it heard another kind of concern or staff. */
const afterScreening = [
  { guard: { type: 'nextIs', params: { option: 'refer' } }, target: 'referral', actions: 'carry' },
  { guard: { type: 'nextIs', params: { option: 'kind' } }, target: 'triageResumed', actions: 'carry' },
  { guard: { type: 'nextIs', params: { option: 'lado' } }, target: 'triageResumed', actions: 'carry' },
  ...afterFlow,
] as const;

const triageInput = ({ context }: { context: RootContext }): TriageInput => ({
  mode: context.mode ?? 'refer',
  ...(context.screening ? { screening: context.screening } : {}),
  ...(context.triage ? { facts: context.triage.facts } : {}),
  ...(context.triage?.corrections ? { corrections: context.triage.corrections } : {}),
});

/** The screening's hand-over (`next: 'kind'` or `'lado'`): the triage opens there, knowing who and how old. */
const resumedInput = ({ context, event }: { context: RootContext; event: unknown }): TriageInput => {
  const output = outputOf(event);
  const at = output?.next === 'lado' ? 'lado' : 'kind';
  // Handed over, the concern is not exploitation: its route ends in the referral, not the screening again.
  return {
    ...triageInput({ context }),
    mode: 'refer',
    resume: { at, about: context.triage?.about, age: context.triage?.age ?? context.screening?.age, suggestedKind: output?.suggestedKind },
  };
};

/**
 * What the screening is told (feat-screening's input): who and how old, and the override facts confirmed,
 * so it does not ask them again; `thenRefer` when "Make a referral" opened it.
 */
const screeningInput = ({ context }: { context: RootContext }) => ({
  thenRefer: context.mode === 'refer',
  ...(context.triage ? { about: context.triage.about, age: context.triage.age, confirmed: context.triage.facts } : {}),
});

const carriedInput = ({ context }: { context: RootContext }): CarriedInput => ({
  ...(context.screening ? { screening: context.screening } : {}),
  ...(context.triage ? { triage: context.triage } : {}),
  ...(context.consent ? { consent: context.consent } : {}),
  ...(context.referral ? { referral: context.referral } : {}),
  ...(context.resumed ? { draft: context.resumed } : {}),
});

/**
 * The root machine of every conversation: the main menu, which routes to each flow. A flow is a child
 * machine invoked with id `flow` (registered by string key in `actors` so snapshots persist); answers are
 * forwarded to it, its `FLOW.EMIT` events are re-emitted to the runtime, and its output says where to go
 * next. States that ask something name the pack question in `meta.question`. No `after` timers: persisted
 * machines lose delays on restore, so deadlines live in context.
 *
 * "Make a referral" and "Is this exploitation?" both start at the triage (one order of evaluation, rules
 * §0): danger, who, age, the override facts, then (for a referral) the kind of concern. Exploitation runs
 * the screening and then the referral; every other kind's route hands its summary straight to the
 * referral, which no longer needs a screening (U4). The screening may hand back to the triage's
 * `concern-kind` (not exploitation) or the LADO.
 */
export function createConversationMachine(pack: ContentPack, { referrals = 'mash' }: { referrals?: ReferralDelivery } = {}) {
  return setup({
    types: {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- xstate infers the machine's types from this placeholder (typescript-eslint#12376)
      context: {} as RootContext,
      events: {} as RootEvent,
      emitted: {} as FlowEmitted,
    },
    actors: {
      sharing: createSharingMachine(pack),
      screening: createScreeningMachine(pack),
      triage: createTriageMachine(pack),
      referral: createReferralMachine(pack, { delivery: referrals }),
      intelligence: createIntelligenceMachine(pack, { delivery: referrals }),
      coordinator: createCoordinatorMachine(pack),
    },
    guards: {
      picked: ({ event }, params: { option: MenuOption }) => picked(event, params.option),
      nextIs: ({ event }, params: { option: NonNullable<FlowOutput['next']> }) => outputOf(event)?.next === params.option,
      siblingNext: ({ event }) => outputOf(event)?.sibling !== undefined,
    },
    actions: {
      say: emit((_, params: { key: string }) => ({ type: 'say' as const, key: params.key })),
      show: emit((_, params: { view: string }) => ({ type: 'show' as const, view: params.view })),
      relay: emit(({ event }) => (event as Extract<RootEvent, { type: 'FLOW.EMIT' }>).emitted),
      forward: sendTo('flow', ({ event }) => event),
      open: assign({ mode: (_, params: { mode: TriageMode }) => params.mode }),
      carry: assign(({ context, event }) => {
        const output = outputOf(event);
        if (output?.filed) {
          const { screening, triage } = context;
          const category = screening?.category ?? triage?.category;
          const urgency = screening?.urgency ?? triage?.urgency;
          const referral = output.clientReference
            ? { clientReference: output.clientReference, ...(category !== undefined ? { category } : {}), ...(urgency ? { urgency } : {}) }
            : context.referral;
          return { screening: undefined, consent: undefined, triage: undefined, referral, resumed: undefined };
        }
        return { screening: output?.screening ?? context.screening, consent: output?.consent ?? context.consent, triage: output?.triage ?? context.triage, resumed: undefined };
      }),
      forget: assign({ screening: undefined, consent: undefined, referral: undefined, triage: undefined, resumed: undefined }),
      resume: assign(({ event }) => (event.type === 'RESUME' ? { resumed: event.draft } : {})),
      carrySibling: assign(({ event }) => ({ resumed: outputOf(event)?.sibling })),
    },
  }).createMachine({
    id: 'conversation',
    // 3: "Talk to a coordinator", from the menu or by name at any question with buttons.
    // 4: every referral and screening starts at the triage (issue 17); the referral needs no screening.
    version: '4',
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
          // "continue" from My referrals: the unfinished referral goes on from its draft.
          RESUME: { target: 'referral', actions: 'resume' },
        },
      },
      // "Should I share this?" (issue 3). Its output carries the consent answer the referral takes on.
      sharing: {
        invoke: { id: 'flow', src: 'sharing', onDone: [...afterFlow] },
        on: { ANSWER: { actions: 'forward' } },
      },
      // The order of evaluation (issue 17) before any screening or referral.
      // `CORRECTED` (an answer `back` undid) reaches the triage, which keeps a corrected override on the record.
      triage: {
        invoke: { id: 'flow', src: 'triage', input: triageInput, onDone: [...afterTriage] },
        on: { ANSWER: { actions: 'forward' }, CORRECTED: { actions: 'forward' } },
      },
      // The screening handed back: the triage opens at `concern-kind` (or the LADO) with what it knew.
      triageResumed: {
        invoke: { id: 'flow', src: 'triage', input: resumedInput, onDone: [...afterTriage] },
        on: { ANSWER: { actions: 'forward' }, CORRECTED: { actions: 'forward' } },
      },
      // "Is this exploitation?" (issue 4), after the triage. Its output carries the summary the referral takes on.
      screening: {
        invoke: { id: 'flow', src: 'screening', input: screeningInput, onDone: [...afterScreening] },
        on: { ANSWER: { actions: 'forward' } },
      },
      // Filing the referral (issue 5), from the triage (and the screening, for exploitation).
      referral: {
        invoke: {
          id: 'flow',
          src: 'referral',
          input: carriedInput,
          // A brother or sister (issue 21 item 5): another referral at once, from the one just filed.
          onDone: [{ guard: 'siblingNext', target: 'referral', reenter: true, actions: ['carry', 'carrySibling'] }, ...afterFlow],
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
