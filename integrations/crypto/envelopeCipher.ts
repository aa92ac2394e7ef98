import { createCipheriv, createDecipheriv, createHash, randomFillSync } from 'node:crypto';
import { DomainError } from '../../flows';

export interface EncryptionKey {
  /** Short id stored in every envelope so that rotated keys can still decrypt old records. */
  id: string;
  key: Buffer;
}

const version = 'v1';

/**
 * Random 96-bit GCM nonces, drawn from the system CSPRNG 256 at a time: one `randomBytes(12)` per record
 * was a measurable share of a turn (issue 23), and bytes from one larger draw are as random (Node's own
 * `randomUUID` batches its entropy the same way). Each nonce is handed out once; the pool is refilled only
 * after all of them have been used.
 */
const ivLength = 12;
const ivPool = Buffer.alloc(ivLength * 256);
let ivOffset = ivPool.length;

function nextIv(): Buffer {
  if (ivOffset === ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  // A copy: the cipher keeps no reference, but a view would change under it at the next refill.
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + ivLength));
  ivOffset += ivLength;
  return iv;
}

/** A key's id is derived from the key itself, so the same key always gets the same id. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function encryptionKey(key: Buffer): EncryptionKey {
  if (key.length !== 32) throw new DomainError('SG-CRYPTO-KEY', 'an AES-256 key is exactly 32 bytes');
  return { id: keyIdOf(key), key };
}

/**
 * AES-256-GCM envelopes: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url). The first key encrypts, every
 * key decrypts. `context` (e.g. the record's key) is bound as additional data, so a ciphertext copied
 * onto another record fails to decrypt instead of silently showing someone else's conversation.
 */
export function createEnvelopeCipher(keys: EncryptionKey[]) {
  if (keys.length === 0) throw new DomainError('SG-CRYPTO-KEY', 'at least one encryption key is needed');
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  const current = keys[0];

  function encrypt(plaintext: string, context: string): string {
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
    return [version, current.id, ...parts].join('.');
  }

  function decrypt(envelope: string, context: string): string {
    const [v, keyId, iv, tag, body] = envelope.split('.');
    const key = byId.get(keyId ?? '');
    if (v !== version || !key || iv === undefined || tag === undefined || body === undefined) {
      throw new DomainError('SG-CRYPTO-DECRYPT', `envelope with unknown version or key id "${keyId ?? ''}"`);
    }
    // A tag shorter than 16 bytes would let a forger try 2^32 guesses instead of 2^128 (pen test I1).
    const authTag = Buffer.from(tag, 'base64url');
    if (authTag.length !== 16) throw new DomainError('SG-CRYPTO-DECRYPT', 'authentication tag is not 16 bytes');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(authTag);
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new DomainError('SG-CRYPTO-DECRYPT', 'authentication failed (wrong key or tampered data)', { cause });
    }
  }

  return { encrypt, decrypt, currentKeyId: current.id };
}

export type EnvelopeCipher = ReturnType<typeof createEnvelopeCipher>;
