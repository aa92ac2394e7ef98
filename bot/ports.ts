import type { ContentPack, ConversationRecord, Effect, OutgoingMessage, TurnInput, TurnMeta, TurnResult } from '../flows';

/** How the runtime took a card submit (accepted, stale or invalid), with the question the card showed. */
export type SubmitReport = NonNullable<TurnResult<ConversationRecord>['submitted']>;

export interface TurnOutcome {
  messages: OutgoingMessage[];
  effects: Effect[];
  attempts: number;
  /** Only for a card submit: lets a channel update the card that sent it (Teams invoke responses). */
  submitted?: SubmitReport;
  /**
   * Only with `unlessReplyAwaited`: a coordinator's or the MASH's question waits for this message, so the
   * turn was not saved and nothing in it happened (`messages` and `effects` are empty). True: may wait, look.
   */
  replyAwaited?: { coordinator: boolean; mash: boolean };
}

export interface TurnOptions {
  /**
   * The message may answer a question a coordinator or the MASH asked in this conversation (issue 23):
   * the turn is saved only if none waits, checked in the save's own atomic step, else `replyAwaited`.
   */
  unlessReplyAwaited?: boolean;
}

/**
 * What the channel code needs of the "take a turn" use case (`server/services/takeTurn.ts`), declared
 * here so the channels depend on the port, not on the service: the bot translates an activity into a
 * turn input, calls `run`, and renders the outcome.
 */
export interface TurnService {
  /** The content pack the runtime speaks from: channel renderers take labels and input limits from it. */
  readonly pack: ContentPack;
  /**
   * Whether `unlessReplyAwaited` is checked by the save itself (Redis on one node). Otherwise it answers
   * "may wait" at once, and a caller does better to read what waits before the turn.
   */
  readonly checksRepliesAtSave: boolean;
  /** `reference` is the channel's conversation reference, kept with effects that tell the professional later. */
  run(conversationId: string, input: TurnInput, meta: TurnMeta, reference?: Record<string, unknown>, options?: TurnOptions): Promise<TurnOutcome>;
}
