import { createEncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import { transcriptActivitySchema, transcriptMetaSchema } from './transcriptStore';

/**
 * Transcript metadata and activities, encrypted like conversation state. Each activity is bound to its
 * conversation and its sequence number, so an entry copied to another conversation or position (or
 * replayed by someone with write access to the store) fails to decrypt instead of being served.
 */
export function createTranscriptCodec(cipher: EnvelopeCipher) {
  return {
    meta: createEncryptedJsonCodec(cipher, transcriptMetaSchema, (storageKey) => `transcript-meta:${storageKey}`),
    activity: createEncryptedJsonCodec(cipher, transcriptActivitySchema, (entryKey) => `transcript:${entryKey}`),
  };
}

export type TranscriptCodec = ReturnType<typeof createTranscriptCodec>;

/** The key an activity is encrypted under: the conversation's storage key and its sequence number. */
export const entryKeyOf = (storageKey: string, seq: number) => `${storageKey}:${seq}`;
