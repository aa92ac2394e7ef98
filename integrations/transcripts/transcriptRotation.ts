import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import { emptyCounts, reencrypt, tally, type RotationCounts } from '../store/documentRotation';
import { withFileLock } from '../store/fileLock';
import { scanKeys } from '../store/redisScan';
import { writeAtomically } from '../store/writeAtomically';
import { entryKeyOf } from './transcriptCodec';
import { readHeadFile, readLog, writeLog } from './embeddedTranscriptLog';

// The contexts the transcript codec binds (transcriptCodec.ts): the meta to its conversation, each activity to its place.
const metaContext = (storageKey: string) => `transcript-meta:${storageKey}`;
const activityContext = (storageKey: string, seq: number) => `transcript:${entryKeyOf(storageKey, seq)}`;

type Outcome = ReturnType<typeof reencrypt>;
/** Counts one envelope and gives what to store: the new envelope, or the old one when current or unreadable. */
function next(counts: RotationCounts, envelope: string, outcome: Outcome): { envelope: string; changed: boolean } {
  return tally(counts, outcome) ? { envelope: outcome, changed: true } : { envelope, changed: false };
}

/**
 * Embedded web chat transcripts: each head's meta and each log's activities re-encrypted under the lock
 * appends take, then the log and the head replaced atomically (log first: a head never names entries its
 * log lacks); expiry and sequence numbers kept, so a poll or an append racing it sees either the old
 * files or the new, both readable. A version 1 file is rewritten as version 1. Counts envelopes.
 */
export async function rotateEmbeddedTranscripts(dataDir: string, cipher: EnvelopeCipher): Promise<RotationCounts> {
  const counts = emptyCounts();
  const dir = join(dataDir, 'transcripts');
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const path = join(dir, name);
    const key = name.slice(0, -'.json'.length);
    await withFileLock(`${path}.lock`, async () => {
      const file = await readHeadFile(path);
      if (!file) return;
      const stored = file.v === 1 ? file.entries : await readLog(join(dir, `${key}.log`), file.lastSeq, Number.MAX_SAFE_INTEGER);
      const meta = next(counts, file.meta, reencrypt(cipher, file.meta, metaContext(key)));
      const entries = stored.map((e) => ({ seq: e.seq, ...next(counts, e.data, reencrypt(cipher, e.data, activityContext(key, e.seq))) }));
      const changed = [meta, ...entries].filter((e) => e.changed).length;
      if (changed === 0) return;
      const rotated = entries.map((e) => ({ seq: e.seq, data: e.envelope }));
      if (file.v === 1) {
        await writeAtomically(path, JSON.stringify({ ...file, meta: meta.envelope, entries: rotated }));
      } else {
        await writeLog(join(dir, `${key}.log`), rotated);
        await writeAtomically(path, JSON.stringify({ ...file, meta: meta.envelope, lines: rotated.length }));
      }
      counts.reencrypted += changed;
    });
  }
  return counts;
}

/**
 * Rewrites one conversation's stream only if nobody appended since it was read (seq unchanged): the
 * entries go back under their own ids (`0-<seq>`), so readers' watermarks stay valid, with the head's
 * remaining TTL. KEYS head, log; ARGV expected seq, meta, then seq/envelope pairs.
 */
const rewriteScript = `
if redis.call('HGET', KEYS[1], 'seq') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'meta', ARGV[2])
redis.call('DEL', KEYS[2])
for i = 3, #ARGV, 2 do
  redis.call('XADD', KEYS[2], '0-' .. ARGV[i], 'd', ARGV[i + 1])
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 and #ARGV > 2 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
`;

type RewriteRedis = Redis & { sgTranscriptRewrite(head: string, log: string, seq: string, meta: string, ...pairs: string[]): Promise<number> };

/**
 * Redis web chat transcripts: a stream cannot be edited in place, so each conversation's stream is
 * rewritten whole by one script, guarded by its sequence number; an append in between makes the script
 * refuse and the conversation is read and tried again.
 */
export async function rotateRedisTranscripts(redis: Redis, cipher: EnvelopeCipher, keyPrefix = 'sg:'): Promise<RotationCounts> {
  const rewrite = redis as RewriteRedis;
  if (typeof rewrite.sgTranscriptRewrite !== 'function') redis.defineCommand('sgTranscriptRewrite', { numberOfKeys: 2, lua: rewriteScript });
  const counts = emptyCounts();
  const base = `${keyPrefix}dl:{`;
  for await (const keys of scanKeys(redis, `${base}*}`)) {
    for (const head of keys) {
      const key = head.slice(base.length, -1);
      if (!/^[0-9a-f]+$/.test(key)) continue;
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const round = emptyCounts();
        const [[, seq], [, meta], [, raw]] = ((await redis.multi().hget(head, 'seq').hget(head, 'meta').xrange(`${head}:log`, '-', '+').exec()) ?? []) as Array<[unknown, unknown]>;
        if (typeof seq !== 'string' || typeof meta !== 'string') break; // expired or erased meanwhile
        const newMeta = next(round, meta, reencrypt(cipher, meta, metaContext(key)));
        const entries = (raw as Array<[string, string[]]>).map(([id, fields]) => {
          const seqOf = Number(id.split('-')[1]);
          return { seq: seqOf, ...next(round, fields[1] ?? '', reencrypt(cipher, fields[1] ?? '', activityContext(key, seqOf))) };
        });
        const changed = [newMeta, ...entries].filter((e) => e.changed).length;
        if (changed === 0 || (await rewrite.sgTranscriptRewrite(head, `${head}:log`, seq, newMeta.envelope, ...entries.flatMap((e) => [String(e.seq), e.envelope]))) === 1) {
          counts.checked += round.checked;
          counts.current += round.current;
          counts.unreadable += round.unreadable;
          counts.reencrypted += changed;
          break;
        }
      }
    }
  }
  return counts;
}
