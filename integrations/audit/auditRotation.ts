import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import { emptyCounts, reencrypt, rotateRedisField, tally, type RotationCounts } from '../store/documentRotation';
import { parseJsonOrUndefined } from '../store/parseJson';
import { redisAuditKeys } from './redisAuditLog';
import { withFileLock } from '../store/fileLock';
import { readTextIfExists } from '../store/readTextIfExists';
import { writeAtomically } from '../store/writeAtomically';

/**
 * Re-encrypts the embedded audit file under the newest key, holding the lock appends take. Only the
 * envelopes change: ids, order, `prev` and `hash` stay, and the hashes cover the decrypted entries, so
 * `audit:verify` still proves nothing recorded was altered. GCM keeps lengths, so every line keeps its
 * byte offset and a running instance's read position stays valid.
 */
export async function rotateEmbeddedAudit(dataDir: string, cipher: EnvelopeCipher): Promise<RotationCounts> {
  const file = join(dataDir, 'audit', 'audit.jsonl');
  const counts = emptyCounts();
  if ((await readTextIfExists(file)) === undefined) return counts; // no audit yet (and no folder for the lock)
  await withFileLock(`${file}.lock`, async () => {
    const text = await readTextIfExists(file);
    if (!text) return;
    let changed = false;
    const lines = text.split('\n').map((line) => {
      const record = line ? (parseJsonOrUndefined(line) as { id?: unknown; data?: unknown } | undefined) : undefined;
      if (!record || typeof record.id !== 'string' || typeof record.data !== 'string') return line;
      const outcome = reencrypt(cipher, record.data, `audit:${record.id}`);
      if (!tally(counts, outcome)) return line;
      counts.reencrypted += 1;
      changed = true;
      return JSON.stringify({ ...record, data: outcome });
    });
    if (changed) await writeAtomically(file, lines.join('\n'));
  });
  return counts;
}

/**
 * Re-encrypts the Redis audit log's envelopes (kept in a hash beside the stream for this reason), by
 * HSCAN and a compare-and-set per entry, beside running instances. The stream's order, `prev` and `hash`
 * are untouched and cover the plaintext, so `audit:verify` still holds.
 */
export async function rotateRedisAudit(redis: Redis, cipher: EnvelopeCipher, keyPrefix?: string): Promise<RotationCounts> {
  const { data } = redisAuditKeys(keyPrefix);
  const counts = emptyCounts();
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(data, cursor, 'COUNT', 200);
    cursor = next;
    for (let i = 0; i < flat.length; i += 2) {
      const [id, envelope] = [flat[i], flat[i + 1]];
      await rotateRedisField(redis, cipher, counts, { key: data, field: id, envelope, context: `audit:${id}` });
    }
  } while (cursor !== '0');
  return counts;
}
