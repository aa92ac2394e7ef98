import type { Effect, FlowEmitted, FlowEvent, OutgoingMessage } from '../protocol';
import type { ScreeningSummary } from '../screening/outcome';
import type { TriageSummary } from '../triage/types';
import type { ConcernKind } from '../triage/types';
import type { ConsentCarry } from './sharing/sharingDecision';

/** Where the conversation goes when a flow finishes (a flow's final `output`). */
export type MenuOption = 'share' | 'screen' | 'refer' | 'intelligence' | 'coordinator' | 'advice' | 'help' | 'restart';

export interface FlowOutput {
  /**
   * `kind`: the screening heard something that is not exploitation and hands over to `concern-kind`
   * (with `suggestedKind`, shown first but still confirmed); `lado`: it heard a concern about staff.
   */
  next?: MenuOption | 'menu' | 'kind' | 'lado';
  suggestedKind?: ConcernKind;
  /** Set by the triage: who, the override facts and what they fixed, the kind and its route's urgency. */
  triage?: TriageSummary;
  /** Set by the sharing flow: the consent answer and decision, so a referral does not ask about consent again. */
  consent?: ConsentCarry;
  /** Set by the screening flow: the result and answers, so a referral does not ask them again. */
  screening?: ScreeningSummary;
  /**
   * Set by the referral flow once the referral is in the outbox: what was carried into it is spent, so a
   * second referral in the conversation (another child) starts from its own screening.
   */
  filed?: boolean;
  /** With `filed`: the referral's client reference, kept so a coordinator handoff can name it. */
  clientReference?: string;
}

/** The referral filed earlier in the conversation, for a coordinator handoff (references only). */
export interface CarriedReferral {
  clientReference: string;
  category?: number;
  urgency?: string;
}

/** What the root carries into a flow from flows finished earlier in the conversation (the invoke `input`). */
export interface CarriedInput {
  screening?: ScreeningSummary;
  triage?: TriageSummary;
  consent?: ConsentCarry;
  referral?: CarriedReferral;
}

/**
 * Child flows cannot `emit` to the runtime directly (xstate delivers emitted events only to listeners of
 * the emitting actor), so they send this to the root, which re-emits it. Use with `sendParent`.
 */
export interface FlowEmitEvent {
  type: 'FLOW.EMIT';
  emitted: FlowEmitted;
}

export type RootEvent = FlowEvent | FlowEmitEvent;

export const toRuntime = {
  say: (key: string): FlowEmitEvent => ({ type: 'FLOW.EMIT', emitted: { type: 'say', key } }),
  message: (message: OutgoingMessage): FlowEmitEvent => ({ type: 'FLOW.EMIT', emitted: { type: 'message', message } }),
  effect: (effect: Effect): FlowEmitEvent => ({ type: 'FLOW.EMIT', emitted: { type: 'effect', effect } }),
};
