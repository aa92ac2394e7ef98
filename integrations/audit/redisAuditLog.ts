import type { Redis } from 'ioredis';
import type { AuditCodec } from './auditCodec';
import type { AuditEntry, AuditLog } from './auditLog';

/**
 * Append once: the id index and the stream entry are written by one script, so two instances appending
 * the same decision (a retried turn) produce one entry. Returns 1 when appended, 0 when already there.
 */
const appendOnceScript = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
local streamId = redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'data', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], streamId)
return 1
`;

type AuditRedis = Redis & { sgAuditAppend(stream: string, index: string, id: string, data: string): Promise<number> };

/** The audit log as a Redis Stream (append-only by nature) plus a hash from entry id to stream id. */
export function createRedisAuditLog(options: { redis: Redis; codec: AuditCodec; keyPrefix?: string }): AuditLog {
  const redis = options.redis as AuditRedis;
  if (typeof redis.sgAuditAppend !== 'function') redis.defineCommand('sgAuditAppend', { numberOfKeys: 2, lua: appendOnceScript });
  const prefix = options.keyPrefix ?? 'sg:';
  const stream = `${prefix}audit`;
  const index = `${prefix}audit:ids`;

  const decodeFields = (fields: string[]): AuditEntry | undefined => {
    const id = fields[fields.indexOf('id') + 1];
    const data = fields[fields.indexOf('data') + 1];
    return id && data ? options.codec.decode(id, data) : undefined;
  };

  return {
    kind: 'redis',
    async append(entry) {
      const appended = await redis.sgAuditAppend(stream, index, entry.id, options.codec.encode(entry.id, entry));
      return { appended: appended === 1 };
    },
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
