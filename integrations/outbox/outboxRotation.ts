import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import { emptyCounts, reencrypt, rotateRedisField, tally, type RotationCounts } from '../store/documentRotation';
import { parseJsonOrUndefined } from '../store/parseJson';
import { withFileLock } from '../store/fileLock';
import { readTextIfExists } from '../store/readTextIfExists';
import { scanKeys } from '../store/redisScan';
import { writeAtomically } from '../store/writeAtomically';

const contextOf = (clientReference: string) => `outbox:${clientReference}`;

type OutboxFileFields = { record?: { clientReference?: unknown }; data?: unknown } | undefined;

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
        const file = text === undefined ? undefined : (parseJsonOrUndefined(text) as OutboxFileFields);
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

/** Redis: SCAN the outbox items and swap each payload still held by compare-and-set. `keyPrefix` as the service's keys start. */
export async function rotateRedisOutbox(redis: Redis, cipher: EnvelopeCipher, keyPrefix = 'sg:'): Promise<RotationCounts> {
  const counts = emptyCounts();
  const base = `${keyPrefix}{outbox}:item:`;
  for await (const keys of scanKeys(redis, `${base}*`)) {
    for (const key of keys) {
      const data = await redis.hget(key, 'data');
      // None once delivered: its payload is already gone.
      if (data !== null) await rotateRedisField(redis, cipher, counts, { key, field: 'data', envelope: data, context: contextOf(key.slice(base.length)) });
    }
  }
  return counts;
}
