import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import type { DocumentKind } from './documentKind';
import { fileSchema } from './embeddedConversationStore';
import { withFileLock } from './fileLock';
import { readTextIfExists } from './readTextIfExists';
import { parseJsonOrUndefined } from './parseJson';
import { scanKeys } from './redisScan';
import { writeAtomically } from './writeAtomically';

export interface RotationCounts {
  checked: number;
  reencrypted: number;
  /** Already under the newest key (written since, or an earlier run: rotation is resumable). */
  current: number;
  /** Could not be decrypted with any configured key; left as it is and reported. */
  unreadable: number;
}

export const emptyCounts = (): RotationCounts => ({ checked: 0, reencrypted: 0, current: 0, unreadable: 0 });

const keyIdOfEnvelope = (envelope: string) => envelope.split('.')[1];

/**
 * The envelope under the newest key, or why it stays as it is: 'current' or 'unreadable' (never mistaken
 * for an envelope, which always has dots). The type is plain `string`: a union with those literals is string.
 */
export function reencrypt(cipher: EnvelopeCipher, envelope: string, context: string): string {
  if (keyIdOfEnvelope(envelope) === cipher.currentKeyId) return 'current';
  try {
    return cipher.encrypt(cipher.decrypt(envelope, context), context);
  } catch {
    return 'unreadable';
  }
}

/** Counts an outcome of `reencrypt`; true when it is a new envelope to write. */
export function tally(counts: RotationCounts, outcome: string): boolean {
  counts.checked += 1;
  if (outcome === 'current') counts.current += 1;
  else if (outcome === 'unreadable') counts.unreadable += 1;
  else return true;
  return false;
}

/**
 * Embedded: each file is re-encrypted under the same lock `save` takes, keeping its revision and expiry,
 * then renamed into place atomically. A writer that loaded before keeps a valid compare-and-set (same rev)
 * and its save writes under the newest key anyway.
 */
export async function rotateEmbeddedDocuments(dataDir: string, kind: DocumentKind, cipher: EnvelopeCipher, now = Date.now()): Promise<RotationCounts> {
  const counts = emptyCounts();
  const dir = join(dataDir, kind.folder);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const path = join(dir, name);
    const storageKey = name.slice(0, -'.json'.length);
    await withFileLock(`${path}.lock`, async () => {
      const text = await readTextIfExists(path);
      const stored = text === undefined ? undefined : fileSchema.safeParse(parseJsonOrUndefined(text));
      if (!stored?.success || stored.data.expiresAt <= now) return; // gone, torn, or expired: the purge job's business
      const outcome = reencrypt(cipher, stored.data.data, `${kind.context}:${storageKey}`);
      if (tally(counts, outcome)) {
        await writeAtomically(path, JSON.stringify({ ...stored.data, data: outcome }));
        counts.reencrypted += 1;
      }
    });
  }
  return counts;
}

/**
 * Replaces one hash field only if it still holds the envelope read: 0 means a writer replaced it meanwhile
 * (a save encrypts under the newest key too) or removed it (a delivered payload). Keeps the key's TTL.
 */
const swapFieldIfUnchangedScript = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;

type SwapRedis = Redis & { sgSwapFieldIfUnchanged(key: string, field: string, expected: string, next: string): Promise<number> };

/** Re-encrypts the envelope held in one Redis hash field under `context`, by compare-and-set, and counts it. */
export async function rotateRedisField(
  redis: Redis,
  cipher: EnvelopeCipher,
  counts: RotationCounts,
  at: { key: string; field: string; envelope: string; context: string },
): Promise<void> {
  const swap = redis as SwapRedis;
  if (typeof swap.sgSwapFieldIfUnchanged !== 'function') redis.defineCommand('sgSwapFieldIfUnchanged', { numberOfKeys: 1, lua: swapFieldIfUnchangedScript });
  const outcome = reencrypt(cipher, at.envelope, at.context);
  if (!tally(counts, outcome)) return;
  if ((await swap.sgSwapFieldIfUnchanged(at.key, at.field, at.envelope, outcome)) === 1) counts.reencrypted += 1;
  else counts.current += 1;
}

export async function rotateRedisDocuments(redis: Redis, kind: DocumentKind, cipher: EnvelopeCipher, keyPrefix = 'sg:'): Promise<RotationCounts> {
  const counts = emptyCounts();
  const base = `${keyPrefix}${kind.namespace}:`;
  for await (const keys of scanKeys(redis, `${base}*`)) {
    for (const key of keys) {
      const storageKey = key.slice(base.length);
      const data = /^[0-9a-f]+$/.test(storageKey) ? await redis.hget(key, 'data').catch(() => null) : null;
      if (data !== null) await rotateRedisField(redis, cipher, counts, { key, field: 'data', envelope: data, context: `${kind.context}:${storageKey}` });
    }
  }
  return counts;
}
