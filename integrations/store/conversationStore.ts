import type { ConversationRecord } from '../../flows';

/** What a load finds. `rev` is 0 when nothing is stored (or it expired); the next save expects it. */
export interface StoredConversation {
  rev: number;
  record?: ConversationRecord;
  /** A record existed but could not be decrypted or validated; the dialogue starts again. */
  unreadable?: boolean;
}

export type SaveResult = { ok: true; rev: number } | { ok: false; reason: 'conflict' };

/**
 * Durable, encrypted dialogue state. `save` is a compare-and-set on `rev`: it succeeds only when nothing
 * else saved the conversation since it was loaded, so two turns on two instances never lose an update.
 */
export interface ConversationStore {
  readonly kind: 'embedded' | 'redis';
  load(conversationId: string): Promise<StoredConversation>;
  save(conversationId: string, record: ConversationRecord, expectedRev: number): Promise<SaveResult>;
  delete(conversationId: string): Promise<void>;
  /** Throws when the store cannot serve requests (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
