import type { z } from 'zod';
import type { EnvelopeCipher } from './envelopeCipher';

/**
 * JSON values encrypted for storage and validated on the way back (a store read is a boundary too).
 * Each value is bound to `context(key)`, so a ciphertext moved onto another record does not decrypt.
 * The halves (`encrypt`/`decrypt` of JSON text, `parse` of it) let a store serialise once per save and
 * keep the plaintext it wrote instead of re-encoding it (issue 23 item 3).
 */
export function createEncryptedJsonCodec<T>(cipher: EnvelopeCipher, schema: z.ZodType<T>, context: (key: string) => string) {
  const encrypt = (key: string, json: string): string => cipher.encrypt(json, context(key));
  /** Undefined when the bytes cannot be decrypted (another key, torn, noise). */
  function decrypt(key: string, envelope: string): string | undefined {
    try {
      return cipher.decrypt(envelope, context(key));
    } catch {
      return undefined;
    }
  }
  /** Undefined when the text is not JSON or does not match the schema. */
  function parse(json: string): T | undefined {
    try {
      const parsed = schema.safeParse(JSON.parse(json));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
  return {
    encrypt,
    decrypt,
    parse,
    encode: (key: string, value: T): string => encrypt(key, JSON.stringify(value)),
    /** Undefined when the bytes cannot be decrypted or do not match the schema. */
    decode(key: string, envelope: string): T | undefined {
      const json = decrypt(key, envelope);
      return json === undefined ? undefined : parse(json);
    },
  };
}

export type EncryptedJsonCodec<T> = ReturnType<typeof createEncryptedJsonCodec<T>>;
