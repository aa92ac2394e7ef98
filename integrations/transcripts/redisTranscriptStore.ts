import type { Redis } from 'ioredis';
import { DomainError } from '../../flows';
import { storageKeyOf } from '../store/recordCodec';
import { entryKeyOf, type TranscriptCodec } from './transcriptCodec';
import { defaultMaxActivities, withId, type TranscriptActivity, type TranscriptEntry, type TranscriptMeta, type TranscriptStore } from './transcriptStore';

/** Creates the head hash (meta, last seq) unless it exists; clears any stale stream of the same id. */
const createScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'meta', ARGV[1], 'seq', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/**
 * Appends with compare-and-set on the last sequence number: the caller encrypted each entry for the
 * numbers it expects to get, so the script refuses (-1) when another instance appended first, and the
 * caller re-encrypts and tries again. -2: the conversation is gone. Stream ids are `0-<seq>`, so a read
 * after a watermark is one XRANGE, and MAXLEN trims the oldest while the ids keep increasing.
 */
const appendScript = `
local seq = redis.call('HGET', KEYS[1], 'seq')
if not seq then return -2 end
if seq ~= ARGV[1] then return -1 end
local n = tonumber(seq)
for i = 4, #ARGV do
  n = n + 1
  redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[3], '0-' .. n, 'd', ARGV[i])
end
redis.call('HSET', KEYS[1], 'seq', n)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return n
`;

type TranscriptRedis = Redis & {
  sgTranscriptCreate(head: string, log: string, meta: string, ttlMs: string): Promise<number>;
  sgTranscriptAppend(head: string, log: string, expectedSeq: string, ttlMs: string, maxLen: string, ...entries: string[]): Promise<number>;
};

export interface RedisTranscriptStoreOptions {
  /** A client the caller owns and closes (shared with the conversation store). */
  redis: Redis;
  codec: TranscriptCodec;
  ttlMs: number;
  maxActivities?: number;
  keyPrefix?: string;
  /** Compare-and-set attempts before an append gives up (only contended by turns of one conversation). */
  maxAttempts?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const notFound = () => new DomainError('SG-HTTP-NOT-FOUND', 'the Direct Line conversation has expired or never existed');

/** Transcripts in Redis: a hash (`meta`, `seq`) and a stream of encrypted activities per conversation. */
export function createRedisTranscriptStore(options: RedisTranscriptStoreOptions): TranscriptStore {
  const redis = options.redis as TranscriptRedis;
  if (typeof redis.sgTranscriptCreate !== 'function') redis.defineCommand('sgTranscriptCreate', { numberOfKeys: 2, lua: createScript });
  if (typeof redis.sgTranscriptAppend !== 'function') redis.defineCommand('sgTranscriptAppend', { numberOfKeys: 2, lua: appendScript });
  const prefix = options.keyPrefix ?? 'sg:';
  const { codec, ttlMs } = options;
  const maxLen = String(options.maxActivities ?? defaultMaxActivities);
  const maxAttempts = options.maxAttempts ?? 25;
  // The hash tag keeps both keys of a conversation in one Redis Cluster slot, as scripts and MULTI need.
  const keysOf = (storageKey: string) => ({ head: `${prefix}dl:{${storageKey}}`, log: `${prefix}dl:{${storageKey}}:log` });

  /**
   * The last sequence number this instance saw per conversation: a turn appends twice (the person's
   * activity, then the bot's replies), and guessing from here saves a round trip each time. Only a
   * guess: the script's compare-and-set refuses a stale one, and the append then reads the real value.
   */
  const lastSeen = new Map<string, string>();
  const remember = (key: string, seq: number) => {
    if (lastSeen.size >= 10_000) lastSeen.clear(); // a bound, not a cache policy
    lastSeen.set(key, String(seq));
  };

  async function create(meta: TranscriptMeta): Promise<boolean> {
    const key = storageKeyOf(meta.conversationId);
    const { head, log } = keysOf(key);
    const created = (await redis.sgTranscriptCreate(head, log, codec.meta.encode(key, meta), String(ttlMs))) === 1;
    if (created) remember(key, 0);
    return created;
  }

  async function meta(conversationId: string): Promise<TranscriptMeta | undefined> {
    const key = storageKeyOf(conversationId);
    const data = await redis.hget(keysOf(key).head, 'meta');
    return data === null ? undefined : codec.meta.decode(key, data);
  }

  async function append(conversationId: string, activities: TranscriptActivity[]): Promise<TranscriptEntry[]> {
    const key = storageKeyOf(conversationId);
    const { head, log } = keysOf(key);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const guess = attempt === 1 ? lastSeen.get(key) : undefined;
      const current = guess ?? (await redis.hget(head, 'seq'));
      if (current === null) throw notFound();
      const last = Number(current);
      const entries = activities.map((activity, i) => withId(conversationId, last + i + 1, activity));
      const encoded = entries.map((e) => codec.activity.encode(entryKeyOf(key, e.seq), e.activity));
      const result = await redis.sgTranscriptAppend(head, log, current, String(ttlMs), maxLen, ...encoded);
      if (result === -2) {
        lastSeen.delete(key);
        throw notFound();
      }
      if (result >= 0) {
        remember(key, result);
        return entries;
      }
      lastSeen.delete(key);
      if (guess === undefined) await sleep(Math.floor(Math.random() * 5 * attempt)); // jitter so two instances stop colliding
    }
    throw new DomainError('SG-STORE-CONFLICT', `transcript append gave up after ${maxAttempts} attempts`);
  }

  async function read(conversationId: string, afterSeq: number): Promise<TranscriptEntry[] | undefined> {
    const key = storageKeyOf(conversationId);
    const { head, log } = keysOf(key);
    const results = await redis
      .multi()
      .hget(head, 'seq')
      .xrange(log, `0-${afterSeq + 1}`, '+')
      .exec();
    if (!results) throw new DomainError('SG-STORE-UNAVAILABLE', 'transcript read was aborted');
    const [[headError, seq], [logError, raw]] = results;
    if (headError) throw headError;
    if (logError) throw logError;
    if (seq === null) return undefined;
    return (raw as Array<[string, string[]]>).flatMap(([id, fields]) => {
      const entrySeq = Number(id.split('-')[1]);
      const activity = codec.activity.decode(entryKeyOf(key, entrySeq), fields[1] ?? '');
      return activity ? [withId(conversationId, entrySeq, activity)] : []; // unreadable (a retired key): skipped
    });
  }

  return {
    kind: 'redis',
    create,
    meta,
    append,
    read,
    async erase(conversationId) {
      lastSeen.delete(storageKeyOf(conversationId));
      const { head, log } = keysOf(storageKeyOf(conversationId));
      return (await redis.del(head, log)) > 0;
    },
    ping: async () => {
      await redis.ping();
    },
    close: async () => undefined,
  };
}
