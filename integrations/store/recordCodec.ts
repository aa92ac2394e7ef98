import { createHash } from 'node:crypto';
import { conversationRecordSchema, type ConversationRecord } from '../../flows';
import { createEncryptedJsonCodec, type EncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';

/**
 * Storage keys are hashes of conversation ids: channel ids can be long, contain characters a file
 * system rejects, and say which tenant a conversation belongs to.
 */
export function storageKeyOf(conversationId: string): string {
  return createHash('sha256').update(conversationId, 'utf8').digest('hex').slice(0, 40);
}

/** Conversation records, keyed by storage key. */
export function createRecordCodec(cipher: EnvelopeCipher): RecordCodec {
  return createEncryptedJsonCodec(cipher, conversationRecordSchema, (storageKey) => `conversation:${storageKey}`);
}

export type RecordCodec = EncryptedJsonCodec<ConversationRecord>;
