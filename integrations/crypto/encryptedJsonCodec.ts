import type { z } from 'zod';
import type { EnvelopeCipher } from './envelopeCipher';

/**
 * JSON values encrypted for storage and validated on the way back (a store read is a boundary too).
 * Each value is bound to `context(key)`, so a ciphertext moved onto another record does not decrypt.
 */
export function createEncryptedJsonCodec<T>(cipher: EnvelopeCipher, schema: z.ZodType<T>, context: (key: string) => string) {
  return {
    encode(key: string, value: T): string {
      return cipher.encrypt(JSON.stringify(value), context(key));
    },
    /** Undefined when the bytes cannot be decrypted or do not match the schema. */
    decode(key: string, envelope: string): T | undefined {
      try {
        const parsed = schema.safeParse(JSON.parse(cipher.decrypt(envelope, context(key))));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export type EncryptedJsonCodec<T> = ReturnType<typeof createEncryptedJsonCodec<T>>;
