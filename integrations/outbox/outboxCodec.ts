import { createHash } from 'node:crypto';
import { createEncryptedJsonCodec, type EncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import { outboxEntrySchema, type OutboxEntry } from './outbox';

/**
 * Outbox payloads hold a child's details, so they are encrypted like conversations, keyed by
 * clientReference: a payload copied onto another entry fails to decrypt instead of being sent.
 */
export function createOutboxCodec(cipher: EnvelopeCipher): OutboxCodec {
  return createEncryptedJsonCodec(cipher, outboxEntrySchema, (clientReference) => `outbox:${clientReference}`);
}

export type OutboxCodec = EncryptedJsonCodec<OutboxEntry>;

/** File names from client references: fixed length and safe on every file system. */
export function outboxKeyOf(clientReference: string): string {
  return createHash('sha256').update(clientReference, 'utf8').digest('hex').slice(0, 40);
}
