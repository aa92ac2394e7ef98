import type { Redis } from 'ioredis';
import { DomainError } from '../../flows';
import type { AuditCodec } from './auditCodec';
import { chainHash, genesisHash, verifyChain } from './auditChain';
import type { AuditEntry, AuditLog } from './auditLog';

/**
 * Append once: the id index and the stream entry are written by one script, so two instances appending
 * the same decision (a retried turn) produce one entry. Returns 1 when appended, 0 when already there,
 * -1 when another instance moved the chain's head since we read it (compare-and-set: read again, retry).
 */
const appendOnceScript = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
local head = redis.call('GET', KEYS[3]) or ARGV[5]
if head ~= ARGV[3] then return -1 end
local streamId = redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'data', ARGV[2], 'prev', ARGV[3], 'hash', ARGV[4])
redis.call('HSET', KEYS[2], ARGV[1], streamId)
redis.call('SET', KEYS[3], ARGV[4])
return 1
`;

type AuditRedis = Redis & {
  sgAuditChainAppend(stream: string, index: string, head: string, id: string, data: string, prev: string, hash: string, genesis: string): Promise<number>;
};

/** Bounded so a pathological burst reports an error instead of spinning forever. */
const maxAppendAttempts = 50;

function field(fields: string[], name: string): string | undefined {
  const at = fields.indexOf(name);
  return at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
}

/** The audit log as a Redis Stream (append-only by nature) plus a hash from entry id to stream id. */
export function createRedisAuditLog(options: { redis: Redis; codec: AuditCodec; keyPrefix?: string }): AuditLog {
  const redis = options.redis as AuditRedis;
  if (typeof redis.sgAuditChainAppend !== 'function') redis.defineCommand('sgAuditChainAppend', { numberOfKeys: 3, lua: appendOnceScript });
  const prefix = options.keyPrefix ?? 'sg:';
  const stream = `${prefix}audit`;
  const index = `${prefix}audit:ids`;
  const headKey = `${prefix}audit:head`;

  const decodeFields = (fields: string[]): AuditEntry | undefined => {
    const id = field(fields, 'id');
    const data = field(fields, 'data');
    return id && data ? options.codec.decode(id, data) : undefined;
  };

  async function append(entry: AuditEntry): Promise<{ appended: boolean }> {
    const data = options.codec.encode(entry.id, entry);
    for (let attempt = 0; attempt < maxAppendAttempts; attempt += 1) {
      const prev = (await redis.get(headKey)) ?? genesisHash;
      const result = await redis.sgAuditChainAppend(stream, index, headKey, entry.id, data, prev, chainHash(prev, entry), genesisHash);
      if (result !== -1) return { appended: result === 1 };
    }
    throw new DomainError('SG-STORE-CONFLICT', 'the audit chain head kept moving; append not recorded');
  }

  async function verify() {
    const [head, entries] = await Promise.all([redis.get(headKey), redis.xrange(stream, '-', '+')]);
    const records = entries.map(([streamId, fields]) => ({
      location: `${stream} ${streamId}`,
      id: field(fields, 'id') ?? '',
      data: field(fields, 'data') ?? '',
      prev: field(fields, 'prev'),
      hash: field(fields, 'hash'),
    }));
    return verifyChain(records, options.codec, head ?? undefined);
  }

  return {
    kind: 'redis',
    append,
    verify,
    async get(id) {
      const streamId = await redis.hget(index, id);
      if (!streamId) return undefined;
      const [found] = await redis.xrange(stream, streamId, streamId);
      return found ? decodeFields(found[1]) : undefined;
    },
    async list() {
      const entries = await redis.xrange(stream, '-', '+');
      return entries.flatMap(([, fields]) => {
        const entry = decodeFields(fields);
        return entry ? [entry] : [];
      });
    },
    /**
     * Pages through the stream from `since` (stream ids are append times, never earlier than the
     * entry's recordedAt, less a day of slack for clocks), 500 at a time, filtering on recordedAt.
     */
    async *entriesSince(since) {
      let start = String(Math.max(0, since.getTime() - 86_400_000));
      for (;;) {
        const page = await redis.xrange(stream, start, '+', 'COUNT', 500);
        for (const [, fields] of page) {
          const entry = decodeFields(fields);
          if (entry && Date.parse(entry.recordedAt) >= since.getTime()) yield entry;
        }
        if (page.length < 500) return;
        const [ms, seq] = page[page.length - 1][0].split('-');
        start = `${ms}-${Number(seq) + 1}`;
      }
    },
    close: async () => undefined,
  };
}
