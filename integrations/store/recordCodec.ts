import { createHash } from 'node:crypto';
import { conversationRecordSchema, type ConversationRecord } from '../../flows';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';

/**
 * Storage keys are hashes of conversation ids: channel ids can be long, contain characters a file
 * system rejects, and say which tenant a conversation belongs to.
 */
export function storageKeyOf(conversationId: string): string {
  return createHash('sha256').update(conversationId, 'utf8').digest('hex').slice(0, 40);
}

/** Encrypts records for storage and validates them on the way back: a store read is a boundary too. */
export function createRecordCodec(cipher: EnvelopeCipher) {
  return {
    encode(storageKey: string, record: ConversationRecord): string {
      return cipher.encrypt(JSON.stringify(record), `conversation:${storageKey}`);
    },
    /** Undefined when the bytes cannot be decrypted or are not a valid record. */
    decode(storageKey: string, envelope: string): ConversationRecord | undefined {
      try {
        const parsed = conversationRecordSchema.safeParse(JSON.parse(cipher.decrypt(envelope, `conversation:${storageKey}`)));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export type RecordCodec = ReturnType<typeof createRecordCodec>;
