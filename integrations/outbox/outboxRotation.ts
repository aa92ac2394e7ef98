import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import { emptyCounts, reencrypt, tally, type RotationCounts } from '../store/documentRotation';
import { withFileLock } from '../store/fileLock';
import { readTextIfExists } from '../store/readTextIfExists';
import { scanKeys } from '../store/redisScan';
import { writeAtomically } from '../store/writeAtomically';

const contextOf = (clientReference: string) => `outbox:${clientReference}`;

function safeJson(text: string): { record?: { clientReference?: unknown }; data?: unknown } | undefined {
  try {
    return JSON.parse(text) as { record?: { clientReference?: unknown }; data?: unknown };
  } catch {
    return undefined;
  }
}

/**
 * Re-encrypts the payloads the embedded outbox still holds (pending in `queue/`, parked in `done/`; a
 * delivered entry has none), each under the lock its own changes take, keeping record and lease as
 * they are: a delivery attempt running meanwhile settles on the same file afterwards.
 */
export async function rotateEmbeddedOutbox(dataDir: string, cipher: EnvelopeCipher): Promise<RotationCounts> {
  const counts = emptyCounts();
  const root = join(dataDir, 'outbox');
  for (const folder of ['queue', 'done']) {
    const names = await readdir(join(root, folder)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const path = join(root, folder, name);
      await withFileLock(join(root, 'locks', `${name.slice(0, -'.json'.length)}.lock`), async () => {
        const text = await readTextIfExists(path);
        const file = text === undefined ? undefined : safeJson(text);
        const ref = file?.record?.clientReference;
        if (!file || typeof file.data !== 'string' || typeof ref !== 'string') return; // gone, or no payload
        const outcome = reencrypt(cipher, file.data, contextOf(ref));
        if (!tally(counts, outcome)) return;
        await writeAtomically(path, JSON.stringify({ ...file, data: outcome }));
        counts.reencrypted += 1;
      });
    }
  }
  return counts;
}

/** Replaces an item's payload only if it is still the one read (settling a delivery deletes it: then nothing to do). */
const swapPayloadScript = `
if redis.call('HGET', KEYS[1], 'data') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2])
return 1
`;

type SwapPayloadRedis = Redis & { sgOutboxSwapPayload(item: string, expected: string, next: string): Promise<number> };

/** Redis: SCAN the outbox items and swap each payload still held by compare-and-set. `keyPrefix` as the service's keys start. */
export async function rotateRedisOutbox(redis: Redis, cipher: EnvelopeCipher, keyPrefix = 'sg:'): Promise<RotationCounts> {
  const swap = redis as SwapPayloadRedis;
  if (typeof swap.sgOutboxSwapPayload !== 'function') redis.defineCommand('sgOutboxSwapPayload', { numberOfKeys: 1, lua: swapPayloadScript });
  const counts = emptyCounts();
  const base = `${keyPrefix}{outbox}:item:`;
  for await (const keys of scanKeys(redis, `${base}*`)) {
    for (const key of keys) {
      const data = await redis.hget(key, 'data');
      if (data === null) continue; // delivered: its payload is already gone
      const outcome = reencrypt(cipher, data, contextOf(key.slice(base.length)));
      if (!tally(counts, outcome)) continue;
      if ((await swap.sgOutboxSwapPayload(key, data, outcome)) === 1) counts.reencrypted += 1;
      else counts.current += 1;
    }
  }
  return counts;
}
