import type { ConversationRuntime, Effect, OutgoingMessage, TurnInput, TurnMeta } from '../flows';
import { DomainError } from '../flows';
import type { ConversationStore } from '../integrations';
import { storageKeyOf } from '../integrations';
import { createKeyedMutex } from './keyedMutex';
import type { Logger } from 'pino';

export interface TurnOutcome {
  messages: OutgoingMessage[];
  effects: Effect[];
  attempts: number;
}

export interface ConversationTurnsOptions {
  store: ConversationStore;
  runtime: ConversationRuntime;
  logger: Logger;
  /** Attempts before a turn gives up on a conversation another instance keeps changing. */
  maxAttempts?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One turn, durably: load the snapshot, run the pure runtime, compare-and-set the new snapshot, and only
 * then hand back what to say. On a conflict (another instance saved first) the whole turn runs again on
 * the fresh state, which is safe because the runtime does no I/O.
 */
export function createConversationTurns({ store, runtime, logger, maxAttempts = 25 }: ConversationTurnsOptions) {
  const exclusive = createKeyedMutex();

  async function attemptTurns(conversationId: string, input: TurnInput, meta: TurnMeta): Promise<TurnOutcome> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const stored = await store.load(conversationId);
      if (stored.unreadable) logger.warn({ conversation: storageKeyOf(conversationId) }, 'stored conversation unreadable: starting again');
      const result = runtime.runTurn(stored.record, input, meta);
      const saved = await store.save(conversationId, result.record, stored.rev);
      if (saved.ok) return { messages: result.messages, effects: result.effects, attempts: attempt };
      await sleep(Math.floor(Math.random() * 5 * attempt)); // jitter so two instances stop colliding
    }
    throw new DomainError('SG-STORE-CONFLICT', `gave up after ${maxAttempts} attempts`);
  }

  return {
    run(conversationId: string, input: TurnInput, meta: TurnMeta): Promise<TurnOutcome> {
      return exclusive(conversationId, () => attemptTurns(conversationId, input, meta));
    },
  };
}

export type ConversationTurns = ReturnType<typeof createConversationTurns>;
