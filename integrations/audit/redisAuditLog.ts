import type { Redis } from 'ioredis';
import { DomainError } from '../../flows';
import type { AuditCodec } from './auditCodec';
import { auditStartSchema, canonical, chainHashOfText, genesisHash, verifyChain, type AuditStart } from './auditChain';
import type { AuditEntry, AuditLog } from './auditLog';

/**
 * Append once: the id index and the stream entry are written by one script, so two instances appending
 * the same decision (a retried turn) produce one entry. Returns 1 when appended, 0 when already there,
 * and the chain's current head when it is not the `prev` given (compare-and-set: the caller hashes again
 * on that head and retries, without a read of its own: issue 23, one round trip per append).
 */
const appendOnceScript = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
local head = redis.call('GET', KEYS[3]) or ARGV[5]
if head ~= ARGV[3] then return head end
local streamId = redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'prev', ARGV[3], 'hash', ARGV[4])
redis.call('HSET', KEYS[2], ARGV[1], streamId)
redis.call('HSET', KEYS[4], ARGV[1], ARGV[2])
redis.call('SET', KEYS[3], ARGV[4])
return 1
`;

/**
 * Retention: removes up to ARGV[3] of the oldest records appended up to stream id ARGV[1] (epoch ms)
 * with their id and data, and records in the same step where the chain now starts (JSON with the last
 * removed record's hash). KEYS stream, ids, data, start; ARGV cutoff ms, purgedBefore ISO, max.
 */
const purgeOldestScript = `
local entries = redis.call('XRANGE', KEYS[1], '-', ARGV[1], 'COUNT', tonumber(ARGV[3]))
if #entries == 0 then return 0 end
local last = nil
for _, item in ipairs(entries) do
  local fields = item[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'id' then redis.call('HDEL', KEYS[2], fields[i + 1]); redis.call('HDEL', KEYS[3], fields[i + 1]) end
    if fields[i] == 'hash' then last = fields[i + 1] end
  end
  redis.call('XDEL', KEYS[1], item[1])
end
local previous = redis.call('GET', KEYS[4])
local purged = #entries
if previous then purged = purged + cjson.decode(previous).purged end
redis.call('SET', KEYS[4], cjson.encode({ prev = last, purged = purged, purgedBefore = ARGV[2] }))
return #entries
`;

type AuditRedis = Redis & {
  sgAuditChainAppendOnce(
    stream: string,
    index: string,
    head: string,
    data: string,
    id: string,
    envelope: string,
    prev: string,
    hash: string,
    genesis: string,
  ): Promise<number | string>;
  sgAuditPurgeOldest(stream: string, index: string, data: string, start: string, cutoffMs: string, purgedBefore: string, max: string): Promise<number>;
};

/** One purge step takes at most this many records, so Redis is never blocked for long. */
const purgeBatch = 500;

/** Bounded so a pathological burst reports an error instead of spinning forever. */
const maxAppendAttempts = 50;

function field(fields: string[], name: string): string | undefined {
  const at = fields.indexOf(name);
  return at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
}

/** The Redis keys of one audit log; the `{audit}` hash tag keeps them in one Cluster slot for the scripts. */
export function redisAuditKeys(keyPrefix = 'sg:') {
  const base = `${keyPrefix}{audit}:`;
  return { stream: `${base}log`, index: `${base}ids`, head: `${base}head`, data: `${base}data`, start: `${base}start` };
}

/**
 * The audit log as a Redis Stream (append-only by nature: order, `prev` and `hash`), a hash from entry id
 * to stream id, and a hash from entry id to its encrypted envelope. The envelope sits outside the stream
 * because stream entries cannot be rewritten, and `keys:rotate` must re-encrypt every record.
 */
export function createRedisAuditLog(options: { redis: Redis; codec: AuditCodec; keyPrefix?: string }): AuditLog {
  const redis = options.redis as AuditRedis;
  if (typeof redis.sgAuditChainAppendOnce !== 'function') redis.defineCommand('sgAuditChainAppendOnce', { numberOfKeys: 4, lua: appendOnceScript });
  if (typeof redis.sgAuditPurgeOldest !== 'function') redis.defineCommand('sgAuditPurgeOldest', { numberOfKeys: 4, lua: purgeOldestScript });
  const keys = redisAuditKeys(options.keyPrefix);
  const { stream, index } = keys;
  const headKey = keys.head;

  /** Envelopes of stream entries, from the data hash (one round trip per page). */
  async function envelopesOf(entries: [string, string[]][]): Promise<Array<string | undefined>> {
    const ids = entries.map(([, fields]) => field(fields, 'id') ?? '');
    if (ids.length === 0) return [];
    return (await redis.hmget(keys.data, ...ids)).map((data) => data ?? undefined);
  }

  async function decodeAll(entries: [string, string[]][]): Promise<AuditEntry[]> {
    const envelopes = await envelopesOf(entries);
    return entries.flatMap(([, fields], i) => {
      const id = field(fields, 'id');
      const data = envelopes[i];
      const entry = id && data ? options.codec.decode(id, data) : undefined;
      return entry ? [entry] : [];
    });
  }

  async function start(): Promise<AuditStart | undefined> {
    const text = await redis.get(keys.start);
    const parsed = text ? auditStartSchema.safeParse(JSON.parse(text)) : undefined;
    if (parsed && !parsed.success) throw new DomainError('SG-STORE-CORRUPT', 'the audit log start record does not match its schema');
    return parsed?.data;
  }

  /** The head this instance last wrote or was told: a hint (the script checks it), read only when unknown. */
  let knownHead: string | undefined;
  async function append(entry: AuditEntry): Promise<{ appended: boolean }> {
    const text = canonical(entry); // serialised once: encrypted and hashed as the same text
    const data = options.codec.encrypt(entry.id, text);
    let prev = knownHead ?? (await redis.get(headKey)) ?? genesisHash;
    for (let attempt = 0; attempt < maxAppendAttempts; attempt += 1) {
      const hash = chainHashOfText(prev, text);
      const result = await redis.sgAuditChainAppendOnce(stream, index, headKey, keys.data, entry.id, data, prev, hash, genesisHash);
      if (typeof result === 'string') {
        prev = knownHead = result; // another writer moved the head: hash again on it
        continue;
      }
      if (result === 1) knownHead = hash;
      return { appended: result === 1 };
    }
    throw new DomainError('SG-STORE-CONFLICT', 'the audit chain head kept moving; append not recorded');
  }

  async function verify() {
    const [head, entries, from] = await Promise.all([redis.get(headKey), redis.xrange(stream, '-', '+'), start()]);
    const envelopes = await envelopesOf(entries);
    const records = entries.map(([streamId, fields], i) => ({
      location: `${stream} ${streamId}`,
      id: field(fields, 'id') ?? '',
      data: envelopes[i] ?? '',
      prev: field(fields, 'prev'),
      hash: field(fields, 'hash'),
    }));
    return verifyChain(records, options.codec, head ?? undefined, from);
  }

  async function purgeRecordedBefore(cutoff: Date): Promise<number> {
    let purged = 0;
    for (;;) {
      const n = await redis.sgAuditPurgeOldest(stream, index, keys.data, keys.start, String(cutoff.getTime() - 1), cutoff.toISOString(), String(purgeBatch));
      purged += n;
      if (n < purgeBatch) return purged;
    }
  }

  return {
    kind: 'redis',
    append,
    verify,
    purgeRecordedBefore,
    async get(id) {
      const data = await redis.hget(keys.data, id);
      return data ? options.codec.decode(id, data) : undefined;
    },
    list: async () => decodeAll(await redis.xrange(stream, '-', '+')),
    /**
     * Pages through the stream from `since` (stream ids are append times, never earlier than the
     * entry's recordedAt, less a day of slack for clocks), 500 at a time, filtering on recordedAt.
     */
    async *entriesSince(since) {
      let from = String(Math.max(0, since.getTime() - 86_400_000));
      for (;;) {
        const page = await redis.xrange(stream, from, '+', 'COUNT', 500);
        for (const entry of await decodeAll(page)) {
          if (Date.parse(entry.recordedAt) >= since.getTime()) yield entry;
        }
        if (page.length < 500) return;
        const [ms, seq] = page[page.length - 1][0].split('-');
        from = `${ms}-${Number(seq) + 1}`;
      }
    },
    close: async () => undefined,
  };
}
