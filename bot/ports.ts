import type { ContentPack, ConversationRecord, Effect, OutgoingMessage, TurnInput, TurnMeta, TurnResult } from '../flows';

/** How the runtime took a card submit (accepted, stale or invalid), with the question the card showed. */
export type SubmitReport = NonNullable<TurnResult<ConversationRecord>['submitted']>;

export interface TurnOutcome {
  messages: OutgoingMessage[];
  effects: Effect[];
  attempts: number;
  /** Only for a card submit: lets a channel update the card that sent it (Teams invoke responses). */
  submitted?: SubmitReport;
}

/**
 * What the channel code needs of the "take a turn" use case (`server/services/takeTurn.ts`), declared
 * here so the channels depend on the port, not on the service: the bot translates an activity into a
 * turn input, calls `run`, and renders the outcome.
 */
export interface TurnService {
  /** The content pack the runtime speaks from: channel renderers take labels and input limits from it. */
  readonly pack: ContentPack;
  /** `reference` is the channel's conversation reference, kept with effects that tell the professional later. */
  run(conversationId: string, input: TurnInput, meta: TurnMeta, reference?: Record<string, unknown>): Promise<TurnOutcome>;
}
