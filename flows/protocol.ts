/**
 * The conversation protocol shared by every channel, test and UI (see README "Conversation protocol").
 * These types are the boundary between the pure flows and the bot layer that renders them.
 */
import type { Effect } from './effects';
import type { ReferralDraftCarry } from './machines/referral/referralDraftCarry';
import type { AnswerValue } from './vocabulary/answers';

/** What kind of answer a question takes. */
export type Expects = 'choice' | 'yesno' | 'multichoice' | 'text' | 'date' | 'number';

export interface Choice {
  /** Stable machine value (e.g. an indicator id); part of the contract. */
  value: string;
  /** Words shown on the button; typing them (any case) answers the question. */
  title: string;
}

/** `value` of every question message. `turnId` lets cards detect a stale or double click. */
export interface QuestionValue {
  type: 'safeguarding.question';
  id: string;
  expects: Expects;
  choices?: Choice[];
  turnId: number;
  /**
   * Where the question stands in its flow (issue 20 item 6), for "Question 5 of about 12": `about` is the
   * fewest questions the flow takes from here plus those answered, so it can change with the answers.
   * Absent outside a flow (the menu, "are you sure you want to restart?").
   */
  progress?: { current: number; about: number };
  /**
   * A question that can be answered as one form (issue 21 item 2: a referral section): channels that
   * show inputs render it; the submit's `answer` is an object of "block.field" → text. Typing still answers.
   */
  form?: QuestionForm;
}

/** One input of a form; `yesnounknown` offers its `choices` (yes, no, not known). */
export interface QuestionFormField {
  name: string;
  label: string;
  kind: 'text' | 'multiline' | 'date' | 'number' | 'yesnounknown';
  maxLength: number;
  choices?: Choice[];
}

/** The form's blocks (each the same fields: "Person 1", "Person 2"), and after a refused submit what was typed and each field's error, keyed "block.field". */
export interface QuestionForm {
  hint: string;
  blocks: Array<{ title: string }>;
  fields: QuestionFormField[];
  values?: Record<string, string>;
  errors?: Record<string, string>;
}

/** A parsed answer (defined beside the ids every part speaks, so the summaries flows carry need not import this file). */
export type { AnswerValue } from './vocabulary/answers';

/**
 * Who is talking and where; supplied by the bot layer. Only what a flow needs reaches flow state, as the
 * `by` stamp of an answer (see `AnswerIdentity`); the user id never does.
 */
export interface TurnMeta {
  channelId: string;
  userId: string;
  userName?: string;
  /** From the channel's sign-in when it knows them (Direct Line sign-in): a referral does not ask again. */
  userRole?: string;
  userOrganisation?: string;
  userEmail?: string;
  /** The work phone the sign-in profile holds: the referral offers it to confirm rather than retype (issue 21). */
  userPhone?: string;
  /** A stable, non-identifying key of the conversation (a hash of its id). */
  conversationKey?: string;
  /** The channel's id of the incoming activity: the I/O layer recognises a redelivered one by it. */
  activityId?: string;
  now: Date;
}

/**
 * Who gave an answer, as the channel knows them, stamped by the runtime on every answer like `at`: a
 * referral skips the referrer questions the identity already answers and names the channel it came from.
 */
export interface AnswerIdentity {
  channelId: string;
  name?: string;
  role?: string;
  organisation?: string;
  email?: string;
  phone?: string;
}

export type TurnInput =
  | { kind: 'start' }
  /** Ask the current question again after the bot layer answered something itself ("my referrals"). */
  | { kind: 'reask' }
  | { kind: 'text'; text: string }
  | { kind: 'submit'; questionId?: string; turnId?: number; answer: unknown }
  /** "continue" an unfinished referral (issue 20 item 2): the I/O layer loaded the professional's draft. */
  | { kind: 'resume'; draft: ReferralDraftCarry };

/** One bot message. `suggestedActions` become imBack buttons; `value` carries the machine-readable part. */
export interface OutgoingMessage {
  text: string;
  /**
   * A titled summary for channels that show cards (Teams shows it as an Adaptive Card above the text);
   * other channels show the text alone. Used for messages that are not results, like "my record".
   */
  card?: { title: string; facts: Array<{ title: string; value: string }> };
  suggestedActions?: Choice[];
  value?: Record<string, unknown>;
}

/** A side effect the flow asks the I/O layer to carry out after the turn is saved: one kind each, in effects.ts. */
export type { Effect } from './effects';

/** Events the machines send to the outside world with xstate's `emit`. */
export type FlowEmitted =
  | { type: 'say'; key: string }
  | { type: 'message'; message: OutgoingMessage }
  | { type: 'show'; view: string; data?: Record<string, unknown> }
  | { type: 'effect'; effect: Effect };

/** Events the runtime sends into the machines. */
export type FlowEvent =
  | {
      type: 'ANSWER';
      questionId: string;
      value: AnswerValue;
      /** ISO time of the turn, from the bot layer's clock: flows never read the clock themselves. */
      at?: string;
      /** Conversation-scoped salt, so identical decisions in two conversations get different ids. */
      ref?: string;
      /** Who answered, from `TurnMeta`; flows never see the bot layer's activity themselves. */
      by?: AnswerIdentity;
    }
  | { type: 'INTENT'; intent: string }
  /**
   * Sent by the runtime right after `back` has undone an answer (and kept in the trail, so later replays
   * keep it): the answer that was undone, with the `at` it was given. A flow that must remember what was
   * corrected (the triage, when the answer had fired a safety override) handles it; every other flow
   * ignores it, so a correction changes nothing else.
   */
  | { type: 'CORRECTED'; questionId: string; value: AnswerValue; at?: string };

/** How the runtime took a card submit, so the channel can update the card that sent it. */
export interface SubmitReport {
  /**
   * `accepted`: applied as the answer. `stale`: the card's question or turn id has moved on, so nothing was
   * applied and the turn id stays (the live card still answers). `invalid`: not an answer to it; re-asked.
   */
  status: 'accepted' | 'stale' | 'invalid';
  /** The question as its card showed it (accepted and invalid only). */
  question?: OutgoingMessage;
  /** The parsed answer that was applied (accepted only). */
  answer?: AnswerValue;
}

export interface TurnResult<TRecord> {
  record: TRecord;
  messages: OutgoingMessage[];
  effects: Effect[];
  /** Only for a `submit` input. */
  submitted?: SubmitReport;
}
