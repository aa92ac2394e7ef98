import type { Effect, FlowEmitted, FlowEvent, OutgoingMessage } from '../protocol';
import type { ScreeningSummary } from '../screening/outcome';
import type { ConcernKind, TriageSummary } from '../vocabulary/triage';
import type { ConsentCarry } from './sharing/sharingDecision';
import type { ReferralDraftCarry } from './referral/referralDraftCarry';

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
  /** "Refer a brother or sister" after filing (issue 21 item 5): the referral to open next, from this one. */
  sibling?: ReferralDraftCarry;
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
  /** A draft resumed from "My referrals" (issue 20 item 2): the referral goes on from it. */
  draft?: ReferralDraftCarry;
}

/** Resume an unfinished referral from its draft (only at the menu); sent by the runtime, never typed. */
export interface ResumeEvent {
  type: 'RESUME';
  draft: ReferralDraftCarry;
}

/**
 * Child flows cannot `emit` to the runtime directly (xstate delivers emitted events only to listeners of
 * the emitting actor), so they send this to the root, which re-emits it. Use with `sendParent`.
 */
export interface FlowEmitEvent {
  type: 'FLOW.EMIT';
  emitted: FlowEmitted;
}

export type RootEvent = FlowEvent | FlowEmitEvent | ResumeEvent;

export const toRuntime = {
  say: (key: string): FlowEmitEvent => ({ type: 'FLOW.EMIT', emitted: { type: 'say', key } }),
  message: (message: OutgoingMessage): FlowEmitEvent => ({ type: 'FLOW.EMIT', emitted: { type: 'message', message } }),
  effect: (effect: Effect): FlowEmitEvent => ({ type: 'FLOW.EMIT', emitted: { type: 'effect', effect } }),
};

/*
 * The one dialect every flow machine is written in: a state that asks is `ask(question, transitions)`
 * (`askThen` when any answer goes on), a transition taken on an answer is guarded by
 * `answered(question, value?)`, and actions read the answer with `answerOf(event)`. Each flow registers
 * the guard as `guards: { answered: isAnswered }`.
 */

type Answer = Extract<FlowEvent, { type: 'ANSWER' }>;

/** The answer an event carries; undefined for any other event (an intent, a correction). */
export const answerOf = (event: FlowEvent): Answer | undefined => (event.type === 'ANSWER' ? event : undefined);

/** An answer to `question`; with `value`, only that choice. */
export interface AnsweredParams {
  question: string;
  value?: string;
}

/** The `answered` guard's implementation, registered by every flow under that name. */
export function isAnswered({ event }: { event: FlowEvent }, params: AnsweredParams): boolean {
  const answer = answerOf(event);
  return answer?.questionId === params.question && (params.value === undefined || answer.value === params.value);
}

/** A transition's guard: `{ guard: answered(question, 'yes'), target }`. */
export const answered = (question: string, value?: string) => ({ type: 'answered' as const, params: { question, value } });

/** What a state that asks tells the runtime besides its question (runtime.ts `QuestionMeta`). */
export interface AskMeta {
  /** The choices are the machine's `context.choices`, computed on entry, not the pack's. */
  dynamicChoices?: true;
  /** The context key whose text is shown after the pack's question text. */
  textFrom?: string;
  /** The context key holding what the question's form shows filled in ("block.field" → text) before anything is sent. */
  valuesFrom?: string;
}

/**
 * A state that asks one pack question: the runtime finds it through `meta.question`; `transitions` are
 * its `ANSWER` transitions, the first whose guard holds is taken (an answer none takes changes nothing).
 */
export function ask<const T>(question: string, transitions: T, meta: AskMeta = {}) {
  return { meta: { question, ...meta }, on: { ANSWER: transitions } };
}

/** The plainest asking state: any answer to `question` goes on to `target`, doing `actions`. */
export function askThen<const A>(question: string, target: string, actions: A, meta: AskMeta = {}) {
  return ask(question, { guard: answered(question), target, actions }, meta);
}

/** The value of the `skip` choice of an optional question (the pack requires one); never a value a flow keeps. */
export const skipped = 'skip';
