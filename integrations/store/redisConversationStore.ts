import type { Redis } from 'ioredis';
import type { ConversationRecord } from '../../flows';
import type { ConversationStore, SaveResult, StoredConversation } from './conversationStore';
import { storageKeyOf, type RecordCodec } from './recordCodec';

/**
 * Compare-and-set in one round trip. A Lua script runs atomically on the server, so unlike WATCH/MULTI
 * it needs no retry loop on the client and cannot interleave with another instance's save.
 * Returns the new revision, or -1 when the stored revision is not the one the caller loaded.
 */
const compareAndSetScript = `
local current = redis.call('HGET', KEYS[1], 'rev')
if not current then current = '0' end
if current ~= ARGV[1] then return -1 end
local nextRev = tonumber(current) + 1
redis.call('HSET', KEYS[1], 'rev', nextRev, 'data', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return nextRev
`;

type CasRedis = Redis & { sgCompareAndSet(key: string, expectedRev: string, data: string, ttlMs: string): Promise<number> };

export interface RedisStoreOptions {
  redis: Redis;
  codec: RecordCodec;
  ttlMs: number;
  /** Keeps tests and several deployments on one server apart. */
  keyPrefix?: string;
}

/** Conversation state in Redis: one hash per conversation (`rev`, encrypted `data`), expiring when idle. */
export function createRedisConversationStore(options: RedisStoreOptions): ConversationStore {
  const redis = options.redis as CasRedis;
  if (typeof redis.sgCompareAndSet !== 'function') {
    redis.defineCommand('sgCompareAndSet', { numberOfKeys: 1, lua: compareAndSetScript });
  }
  const prefix = options.keyPrefix ?? 'sg:';
  const keyOf = (storageKey: string) => `${prefix}conv:${storageKey}`;

  async function load(conversationId: string): Promise<StoredConversation> {
    const storageKey = storageKeyOf(conversationId);
    const [rev, data] = await redis.hmget(keyOf(storageKey), 'rev', 'data');
    if (rev === null || data === null) return { rev: 0 };
    const record = options.codec.decode(storageKey, data);
    return record ? { rev: Number(rev), record } : { rev: Number(rev), unreadable: true };
  }

  async function save(conversationId: string, record: ConversationRecord, expectedRev: number): Promise<SaveResult> {
    const storageKey = storageKeyOf(conversationId);
    const data = options.codec.encode(storageKey, record);
    const rev = await redis.sgCompareAndSet(keyOf(storageKey), String(expectedRev), data, String(options.ttlMs));
    return rev < 0 ? { ok: false, reason: 'conflict' } : { ok: true, rev };
  }

  return {
    kind: 'redis',
    load,
    save,
    delete: async (conversationId) => {
      await redis.del(keyOf(storageKeyOf(conversationId)));
    },
    ping: async () => {
      await redis.ping();
    },
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
