/**
 * The conversation protocol shared by every channel, test and UI (see README "Conversation protocol").
 * These types are the boundary between the pure flows and the bot layer that renders them.
 */

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
}

/** A parsed answer: choice value, 'yes'/'no', ISO date, number, free text, or the values picked. */
export type AnswerValue = string | number | string[];

/** Who is talking and where; supplied by the bot layer, never persisted in flow state. */
export interface TurnMeta {
  channelId: string;
  userId: string;
  userName?: string;
  /** A stable, non-identifying key of the conversation (a hash of its id). */
  conversationKey?: string;
  now: Date;
}

export type TurnInput =
  | { kind: 'start' }
  | { kind: 'text'; text: string }
  | { kind: 'submit'; questionId?: string; turnId?: number; answer: unknown };

/** One bot message. `suggestedActions` become imBack buttons; `value` carries the machine-readable part. */
export interface OutgoingMessage {
  text: string;
  suggestedActions?: Choice[];
  value?: Record<string, unknown>;
}

/**
 * A side effect the flow asks the I/O layer to carry out after the turn is saved (audit append,
 * referral into the outbox, coordinator notification). `id` makes retries idempotent.
 */
export interface Effect {
  kind: string;
  id: string;
  payload: Record<string, unknown>;
}

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
    }
  | { type: 'INTENT'; intent: string };

export interface TurnResult<TRecord> {
  record: TRecord;
  messages: OutgoingMessage[];
  effects: Effect[];
}
